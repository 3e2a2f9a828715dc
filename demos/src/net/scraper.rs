//! `scraper`: *From First Principles*'s `AsyncWebScraper`, against the in-process HTTP server.
//!
//! The seed fetches five httpbin.org URLs with at most 3 requests at a time (a Semaphore)
//! and a 10 s timeout each, then prints a ✓/✗ table. Here the same scraper fetches the same
//! kinds of pages from [`super::http`]'s server, plus the two failures a real scraper
//! meets: a page slower than the timeout, and a port where nothing listens.
//!
//! Note what the seed's table shows for `/status/404`: ✓. aiohttp does not raise for a 404
//! (a 404 is a successful HTTP exchange), so `success` is true; this scraper keeps that
//! rule and prints the status, which is what tells you the page is missing.

use std::net::SocketAddr;
use std::time::Duration;

use tinyloop::{Semaphore, TcpListener, now, spawn, timeout};

use super::http;
use crate::{Options, say};

/// One row of the results table.
struct Outcome {
    url: String,
    status: Option<u16>,
    content_length: usize,
    error: Option<String>,
}

/// Where a URL points: the demo server, or a port where nothing listens.
#[derive(Clone, Copy)]
enum Target {
    Server(SocketAddr),
    ClosedPort(SocketAddr),
}

// ANCHOR: scraper
/// The seed's `AsyncWebScraper`: a Semaphore limits the requests in flight.
struct AsyncWebScraper {
    semaphore: Semaphore,
    timeout: Duration,
}

impl AsyncWebScraper {
    fn new(max_concurrent_requests: usize) -> AsyncWebScraper {
        AsyncWebScraper {
            semaphore: Semaphore::new(max_concurrent_requests),
            timeout: Duration::from_secs(10),
        }
    }

    async fn fetch_url(&self, target: Target, url: String) -> Outcome {
        let _permit = self.semaphore.acquire().await; // async with self.semaphore
        say!("Fetching: {url}");
        let result = match target {
            Target::Server(addr) | Target::ClosedPort(addr) => {
                timeout(self.timeout, http::get(addr, path_of(&url))).await
            }
        };
        let error = match result {
            Ok(Ok(response)) => {
                return Outcome {
                    url,
                    status: Some(response.status),
                    content_length: response.body.len(),
                    error: None,
                };
            }
            // The OS's message names the port, which changes every run; say what happened.
            Ok(Err(error)) if error.kind() == std::io::ErrorKind::ConnectionRefused => {
                "connection refused: nothing is listening there".to_string()
            }
            Ok(Err(error)) => error.to_string(),
            Err(_elapsed) => format!("timed out after {} s", self.timeout.as_secs()),
        };
        say!("Error fetching {url}: {error}");
        Outcome {
            url,
            status: None,
            content_length: 0,
            error: Some(error),
        }
    }
}
// ANCHOR_END: scraper

/// `"/delay/1"` from `"http://server/delay/1"`.
fn path_of(url: &str) -> &str {
    url.strip_prefix("http://")
        .and_then(|rest| rest.find('/').map(|slash| &rest[slash..]))
        .unwrap_or("/")
}

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        let server = http::serve().expect("127.0.0.1 has free ports");
        let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr(); // bound, closed
        say!("server: serving httpbin-like pages on 127.0.0.1 (port chosen by the OS)");
        let urls = [
            (Target::Server(server.addr), "http://server/delay/1"),
            (Target::Server(server.addr), "http://server/delay/2"),
            (Target::Server(server.addr), "http://server/status/200"),
            (Target::Server(server.addr), "http://server/status/404"),
            (Target::Server(server.addr), "http://server/json"),
            (Target::Server(server.addr), "http://server/delay/15"),
            (Target::ClosedPort(closed), "http://closed-port/"),
        ];
        let scraper = std::rc::Rc::new(AsyncWebScraper::new(3));
        let start = now();
        // ANCHOR: scrape
        let tasks: Vec<_> = urls
            .iter()
            .map(|&(target, url)| {
                let scraper = scraper.clone();
                spawn(async move { scraper.fetch_url(target, url.to_string()).await })
            })
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.expect("fetch_url never panics")); // gather
        }
        // ANCHOR_END: scrape
        let total = now().duration_since(start).as_secs_f64();
        println!("\n=== Scraping Results ===");
        for result in &results {
            let mark = if result.error.is_none() { "✓" } else { "✗" };
            let status = result.status.map_or("None".to_string(), |s| s.to_string());
            let detail = match &result.error {
                Some(error) => format!(" ({error})"),
                None => format!(" ({} bytes)", result.content_length),
            };
            println!("{mark} {} - Status: {status}{detail}", result.url);
        }
        println!("\nTotal time: {total:.2} seconds");
        println!(
            "Average time per URL: {:.2} seconds",
            total / results.len() as f64
        );
        server.stop();
    });
}
