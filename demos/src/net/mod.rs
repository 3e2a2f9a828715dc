//! Demos of the book's parts on I/O and threads: real sockets on 127.0.0.1 (on a port the
//! OS chooses, so runs never collide) and `to_thread`. Each demo stops by itself; `echo` and
//! `crawler` take `--serve` to keep their server running for `nc` or `curl`.

use crate::Demo;

pub mod blocking_fetch;
pub mod blocking_pitfall;
pub mod crawler;
pub mod echo;
pub mod http;
pub mod scraper;
pub mod threads_vs_loop;

/// This part's demos, in the book's order.
pub fn demos() -> Vec<Demo> {
    vec![
        Demo {
            name: "echo",
            mirrors: "asyncio Q&A (the loop 'monitors for I/O events'): asyncio's echo server and client",
            shows: "one thread serves three clients at once; with --serve, talk to it with nc",
            run: echo::run,
        },
        Demo {
            name: "scraper",
            mirrors: "From First Principles 'Real-World Example: Web Scraping' (AsyncWebScraper)",
            shows: "a Semaphore keeps 3 requests in flight; a timeout and a refused connection become ✗ rows",
            run: scraper::run,
        },
        Demo {
            name: "blocking_fetch",
            mirrors: "From First Principles 'Blocking vs Non-Blocking' (fetch_data_sync with requests, fetch_data_async with aiohttp)",
            shows: "two blocking 2 s requests take 4.00 s and freeze the loop; two in flight take 2.00 s while a heartbeat ticks",
            run: blocking_fetch::run,
        },
        Demo {
            name: "blocking_pitfall",
            mirrors: "From First Principles 'Common Pitfalls: Blocking the Event Loop'",
            shows: "std::thread::sleep in a task stalls every task; sleep().await and to_thread do not",
            run: blocking_pitfall::run,
        },
        Demo {
            name: "threads_vs_loop",
            mirrors: "From First Principles 'Concurrency vs Parallelism'",
            shows: "CPU work in tasks runs one after another; in to_thread it uses every core",
            run: threads_vs_loop::run,
        },
        Demo {
            name: "crawler",
            mirrors: "Concurrency Patterns 'Daily Assignment' (producer-consumer web crawler with a Semaphore)",
            shows: "Queue + visited set + 5 consumers + Semaphore(3) + join + cancel crawl a site over HTTP/1.1",
            run: crawler::run,
        },
    ]
}
