//! `crawler`: *Concurrency Patterns*'s daily assignment, end to end, on real sockets.
//!
//! A producer puts the start URL in a `Queue`; five consumers take URLs, skip those already
//! in the visited set, fetch the page over HTTP/1.1 from the in-process server
//! ([`super::http`]), find its `<a href>` links and put the new ones back in the queue,
//! calling `task_done` for every URL they took. A `Semaphore` limits the requests in flight
//! to 3 (fewer than the 5 consumers, so the limit actually bites). `main` awaits
//! `queue.join()`, then cancels the consumers, which loop for ever, exactly as the
//! assignment says.
//!
//! What it prints: each page as it is fetched, then the pages found and the peak number of
//! requests in flight, counted by the crawler and by the server: never above the limit.
//!
//! The seed's step 4 says to "use `asyncio.gather` to start all the tasks" and *then*
//! `await queue.join()`; but gathering consumers that never return would wait for ever. What
//! works (and what this demo does) is: create the tasks, `await queue.join()`, cancel the
//! consumers, then gather them to collect their cancellation.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::rc::Rc;

use tinyloop::{Queue, Semaphore, spawn};

use super::http;
use crate::{Options, say};

/// What the consumers share besides the queue.
struct Crawl {
    /// Where the site is served.
    server: SocketAddr,
    /// Every URL a consumer has taken to fetch (the seed's `visited_urls: set[str]`).
    visited: RefCell<BTreeSet<String>>,
    /// URLs that answered something other than 200.
    broken: RefCell<Vec<(String, u16)>>,
    /// Limits the requests in flight (the seed's "Rate Limiting (Crucial!)").
    semaphore: Semaphore,
    /// Requests in flight now, and the most at once.
    in_flight: Cell<usize>,
    peak: Cell<usize>,
}

/// The most requests in flight at once.
const LIMIT: usize = 3;
/// How many consumer tasks.
const CONSUMERS: usize = 5;

// ANCHOR: producer
async fn producer(queue: Queue<String>, start_url: &str) {
    queue
        .put(start_url.to_string())
        .await
        .expect("the queue is open");
}
// ANCHOR_END: producer

// ANCHOR: consumer
async fn consumer(id: usize, queue: Queue<String>, crawl: Rc<Crawl>) {
    loop {
        let Ok(url) = queue.get().await else { return };
        // Check and mark in one step, with no await in between: no other consumer can
        // slip in and fetch the same URL.
        if !crawl.visited.borrow_mut().insert(url.clone()) {
            queue.task_done().expect("one task_done per get");
            continue;
        }
        let response = {
            let _permit = crawl.semaphore.acquire().await; // async with semaphore
            crawl.in_flight.set(crawl.in_flight.get() + 1);
            crawl.peak.set(crawl.peak.get().max(crawl.in_flight.get()));
            let response = http::get(crawl.server, &url).await;
            crawl.in_flight.set(crawl.in_flight.get() - 1);
            response
        };
        match response {
            Ok(page) if page.status == 200 => {
                let links = http::find_links(&page.body);
                let mut new = 0;
                for link in links {
                    if !crawl.visited.borrow().contains(&link) {
                        new += 1;
                        queue.put(link).await.expect("the queue is open");
                    }
                }
                let links = if new == 1 { "link" } else { "links" };
                say!("consumer {id}: fetched {url}, {new} new {links} queued");
            }
            Ok(page) => {
                say!("consumer {id}: {url} answered {}", page.status);
                crawl.broken.borrow_mut().push((url, page.status));
            }
            Err(error) => say!("consumer {id}: {url} failed: {error}"),
        }
        queue.task_done().expect("one task_done per get");
    }
}
// ANCHOR_END: consumer

/// The demo's program.
pub fn run(options: &Options) {
    let serve = options.has_flag("--serve");
    options.run(async move {
        let server = http::serve().expect("127.0.0.1 has free ports");
        say!("server: a site of {} pages on 127.0.0.1 (port chosen by the OS)", http::PAGES);
        // ANCHOR: main
        let queue: Queue<String> = Queue::new(0); // unbounded
        let crawl = Rc::new(Crawl {
            server: server.addr,
            visited: RefCell::new(BTreeSet::new()),
            broken: RefCell::new(Vec::new()),
            semaphore: Semaphore::new(LIMIT),
            in_flight: Cell::new(0),
            peak: Cell::new(0),
        });
        let consumers: Vec<_> = (1..=CONSUMERS)
            .map(|id| spawn(consumer(id, queue.clone(), crawl.clone())))
            .collect();
        spawn(producer(queue.clone(), "/page/0"))
            .await
            .expect("the producer does not panic");
        queue.join().await; // every URL taken has had its task_done
        for consumer in &consumers {
            consumer.cancel(); // they loop for ever: cancel them, as the seed says
        }
        for consumer in consumers {
            assert!(consumer.await.unwrap_err().is_cancelled());
        }
        // ANCHOR_END: main
        let broken = crawl.broken.take();
        let pages = crawl.visited.borrow().len() - broken.len();
        let links = if broken.len() == 1 { "link" } else { "links" };
        say!("crawl done: {pages} pages found, {} broken {links}", broken.len());
        for (url, status) in &broken {
            say!("  broken: {url} ({status})");
        }
        say!(
            "peak requests in flight: {} by the crawler's count, {} by the server's (limit {LIMIT}, {CONSUMERS} consumers)",
            crawl.peak.get(),
            server.load.peak()
        );
        if serve {
            say!(
                "serving the site on {}: try `curl http://{}/page/1` (Ctrl-C to stop)",
                server.addr,
                server.addr
            );
            server.serve_forever().await;
        } else {
            server.stop();
        }
    });
}
