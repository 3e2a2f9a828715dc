//! Reference solution of exercise 19 (see `src/ex19_crawler.rs` for the instructions).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{Queue, Semaphore, sleep, spawn};

/// A page's address.
pub type Url = &'static str;

/// A made-up site: each page and the pages it links to. A link to a page that is not here is
/// broken (a 404).
pub struct Site {
    /// Every page and its links.
    pub pages: HashMap<Url, Vec<Url>>,
    /// How long every fetch takes.
    pub latency: Duration,
    /// What the fetches did, for the tests to look at.
    pub stats: RefCell<Stats>,
}

/// What the fetches did.
#[derive(Default, Debug)]
pub struct Stats {
    /// Fetches running right now.
    pub in_flight: usize,
    /// The most fetches that ever ran at once.
    pub max_in_flight: usize,
    /// How many times each page was fetched.
    pub fetches: HashMap<Url, usize>,
}

/// The page does not exist (HTTP 404).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound;

impl Site {
    /// A site of `pages`, each fetch taking `latency`.
    pub fn new(pages: &[(Url, &[Url])], latency: Duration) -> Rc<Site> {
        Rc::new(Site {
            pages: pages
                .iter()
                .map(|(url, links)| (*url, links.to_vec()))
                .collect(),
            latency,
            stats: RefCell::new(Stats::default()),
        })
    }

    /// Fetches `url` (takes `latency` on the loop's clock) and returns its links.
    pub async fn fetch(&self, url: Url) -> Result<Vec<Url>, NotFound> {
        {
            let mut stats = self.stats.borrow_mut();
            stats.in_flight += 1;
            stats.max_in_flight = stats.max_in_flight.max(stats.in_flight);
            *stats.fetches.entry(url).or_insert(0) += 1;
        }
        sleep(self.latency).await;
        self.stats.borrow_mut().in_flight -= 1;
        self.pages.get(url).cloned().ok_or(NotFound)
    }
}

/// What a crawl found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Crawl {
    /// Every page fetched, in the order the crawl started fetching them.
    pub visited: Vec<Url>,
    /// The pages that were linked to but do not exist.
    pub broken: Vec<Url>,
}

// ANCHOR: crawl
/// Crawls `site` from `start` with `workers` tasks, at most `max_in_flight` fetches at once.
pub async fn crawl(site: Rc<Site>, start: Url, workers: usize, max_in_flight: usize) -> Crawl {
    let queue: Rc<Queue<Url>> = Rc::new(Queue::new(0)); // 0: unbounded, as in asyncio
    let limit = Rc::new(Semaphore::new(max_in_flight));
    let seen: Rc<RefCell<HashSet<Url>>> = Rc::default();
    let found: Rc<RefCell<Crawl>> = Rc::default();

    seen.borrow_mut().insert(start);
    queue
        .put_nowait(start)
        .expect("an unbounded queue is never full");
    let handles: Vec<_> = (0..workers)
        .map(|_| {
            let (queue, limit, seen, found, site) = (
                queue.clone(),
                limit.clone(),
                seen.clone(),
                found.clone(),
                site.clone(),
            );
            spawn(async move {
                loop {
                    let Ok(url) = queue.get().await else { return };
                    found.borrow_mut().visited.push(url);
                    let page = {
                        let _permit = limit.acquire().await;
                        site.fetch(url).await
                    };
                    match page {
                        Ok(links) => {
                            for link in links {
                                // Marked seen when queued, so no page is queued twice.
                                if seen.borrow_mut().insert(link) {
                                    queue.put_nowait(link).expect("unbounded");
                                }
                            }
                        }
                        Err(NotFound) => found.borrow_mut().broken.push(url),
                    }
                    // Only after its links are queued: join() must not see zero in between.
                    queue.task_done().expect("one task_done per get");
                }
            })
        })
        .collect();

    // Every page queued has been fully handled: the crawl is over.
    queue.join().await;
    for handle in &handles {
        handle.cancel();
    }
    for handle in handles {
        let _ = handle.await;
    }
    found.take()
}
// ANCHOR_END: crawl
