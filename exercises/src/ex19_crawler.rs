//! # Exercise 19: a crawler with a Semaphore and a Queue
//!
//! The book's crawler chapter runs seed 001's assignment: a web crawler with a `Queue` of
//! URLs, several workers, a visited set, `queue.join()` to know when the crawl is over, and a
//! `Semaphore` to limit the requests in flight. Here you write its heart, on tinyloop's own
//! `Queue` and `Semaphore`, against a made-up site whose fetches take 0.1 s of virtual time,
//! so the tests can check the exact time the crawl takes.
//!
//! Two tools, two jobs. The **Queue** hands out work and counts it: every `put` adds one
//! unfinished task, every `task_done` removes one, and `join()` returns when none is left.
//! The **Semaphore** bounds concurrency: with 8 workers and `max_in_flight` 3, at most three
//! fetches run at once, whatever the number of workers.
//!
//! The rules that make it end, and end right:
//!
//! - A page is queued at most once: mark it *seen* when you queue it, not when you fetch it
//!   (two workers could otherwise both queue a page found on two pages at once).
//! - A worker calls `task_done()` only **after** queuing the links it found: if it came first,
//!   `join()` could see zero unfinished tasks while work was still about to be added.
//! - When `join()` returns, the workers are parked in `queue.get()` for ever: cancel them (and
//!   await their handles), as asyncio's crawler cancels its consumers.
//!
//! Given: the made-up `Site` with its `fetch` (which counts fetches in flight) and the types.
//! Write `crawl`: queue `start`; spawn `workers` tasks that each loop: get a URL, note it in
//! `visited`, fetch it holding a permit, queue its unseen links (or note it as `broken`), then
//! `task_done()`; await `queue.join()`; cancel the workers; return what was found.
//!
//! Check it with `cargo run -- check 19` (or `cargo run -- watch`).

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
    // Your code: a Queue (unbounded: Queue::new(0)), a Semaphore(max_in_flight), a seen set;
    // queue `start`; spawn the workers; await queue.join(); cancel the workers.
    todo!()
}
// ANCHOR_END: crawl
