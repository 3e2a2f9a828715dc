//! Grades exercise 19: a crawler with a Semaphore and a Queue, on tinyloop's virtual clock
//! (every fetch takes exactly 0.1 s, so the crawl's time is exact).

use std::rc::Rc;
use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex19_crawler.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex19_crawler.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex19;

use ex19::{Crawl, Site, crawl};
use exercises::expect_eq;
use tinyloop::{now, run_virtual};

/// Eight pages with cycles (links back to `/` and `/a`) and one broken link.
fn site() -> Rc<Site> {
    Site::new(
        &[
            ("/", &["/a", "/b", "/c", "/d"]),
            ("/a", &["/e", "/"]),
            ("/b", &["/f", "/a"]),
            ("/c", &["/"]),
            ("/d", &["/missing"]),
            ("/e", &["/f"]),
            ("/f", &["/"]),
        ],
        Duration::from_millis(100),
    )
}

/// Crawls `site` from `/` and returns what was found and when the crawl returned.
fn run_crawl(site: &Rc<Site>, workers: usize, limit: usize) -> (Crawl, String) {
    let site = site.clone();
    run_virtual(async move {
        let found = crawl(site, "/", workers, limit).await;
        (found, now().to_string())
    })
}

#[test]
fn every_page_reachable_from_the_start_is_fetched_exactly_once() {
    let site = site();
    let (found, _) = run_crawl(&site, 8, 3);
    let mut visited = found.visited.clone();
    visited.sort();
    expect_eq!(
        visited,
        ["/", "/a", "/b", "/c", "/d", "/e", "/f", "/missing"],
        "the pages visited, sorted"
    );
    let stats = site.stats.borrow();
    let mut twice: Vec<_> = stats.fetches.iter().filter(|(_, n)| **n > 1).collect();
    twice.sort();
    expect_eq!(
        twice,
        Vec::<(&&str, &usize)>::new(),
        "pages fetched more than once"
    );
}

#[test]
fn at_most_max_in_flight_fetches_run_at_once_whatever_the_workers() {
    let site = site();
    run_crawl(&site, 8, 3);
    expect_eq!(
        site.stats.borrow().max_in_flight,
        3,
        "most fetches at once, with 8 workers and max_in_flight 3"
    );
}

#[test]
fn pages_are_visited_in_the_order_they_were_found() {
    let (found, _) = run_crawl(&site(), 8, 3);
    expect_eq!(
        found.visited,
        ["/", "/a", "/b", "/c", "/d", "/e", "/f", "/missing"],
        "visit order (a FIFO queue: breadth first)"
    );
}

#[test]
fn a_broken_link_is_reported_and_the_crawl_goes_on() {
    let (found, _) = run_crawl(&site(), 8, 3);
    expect_eq!(found.broken, ["/missing"]);
}

#[test]
fn the_crawl_returns_when_the_last_page_is_done() {
    // Three at a time: / (0.1), then a b c (0.2), then d e f (0.3), then /missing (0.4).
    let (_, at) = run_crawl(&site(), 8, 3);
    expect_eq!(at, "t=0.40", "time when crawl returned, max_in_flight 3");
    // One at a time: eight fetches of 0.1 s.
    let (_, at) = run_crawl(&site(), 8, 1);
    expect_eq!(at, "t=0.80", "time when crawl returned, max_in_flight 1");
}

#[test]
fn a_single_page_with_no_links_ends_after_its_one_fetch() {
    let site = Site::new(&[("/", &[])], Duration::from_millis(100));
    let (found, at) = run_crawl(&site, 4, 2);
    expect_eq!(found.visited, ["/"]);
    expect_eq!(at, "t=0.10", "time when crawl returned");
}
