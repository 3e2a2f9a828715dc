//! A small HTTP/1.1 server and client on tinyloop's sockets, for the crawler and the scraper.
//!
//! The seeds fetch pages with `httpx` and `aiohttp` from the internet. The demos must run
//! anywhere, offline, and print the same output every time, so they fetch from this server
//! instead, inside the same process, on 127.0.0.1 and a port the OS chooses. It speaks just
//! enough HTTP/1.1 for `curl` to talk to it: one `GET` per connection, `Connection: close`.
//!
//! Routes (like httpbin.org's, which *From First Principles* uses):
//!
//! | path | answer |
//! |---|---|
//! | `/` and `/page/N` (N < [`PAGES`]) | an HTML page of the generated site, with links |
//! | `/delay/N` | 200 after N seconds |
//! | `/status/N` | status N |
//! | `/json` | a small JSON document |
//! | anything else | 404 |
//!
//! Every answer but `/delay/N` takes [`PAGE_LATENCY`], like a real server across a network.

use std::cell::{Cell, RefCell};
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use futures_lite::io::BufReader;
use futures_lite::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use tinyloop::{JoinHandle, TcpListener, TcpStream, sleep, spawn};

/// How many pages the generated site has.
pub const PAGES: usize = 24;

/// The page with a link to `/missing`, which answers 404: every real site has one.
pub const BROKEN_LINK_PAGE: usize = 5;

/// How long the server takes to answer (except `/delay/N`, which takes N seconds).
pub const PAGE_LATENCY: Duration = Duration::from_millis(100);

/// The links on page `n`: a few other pages, chosen by a fixed rule so that the site has
/// cycles (the crawler must remember what it visited) and every page is reachable from `/`.
pub fn links_of(n: usize) -> Vec<usize> {
    let mut links = vec![(2 * n + 1) % PAGES, (2 * n + 2) % PAGES, n / 2];
    links.dedup();
    links
}

/// The HTML of page `n`.
fn page_html(n: usize) -> String {
    let mut html = format!("<html><head><title>Page {n}</title></head><body>\n<h1>Page {n}</h1>\n");
    for link in links_of(n) {
        html.push_str(&format!("<a href=\"/page/{link}\">page {link}</a>\n"));
    }
    if n == BROKEN_LINK_PAGE {
        html.push_str("<a href=\"/missing\">a page that was deleted</a>\n");
    }
    html.push_str("</body></html>\n");
    html
}

/// A running server: its address, and how it counts the requests it serves.
pub struct Server {
    /// Where it listens (127.0.0.1 and the OS-chosen port).
    pub addr: SocketAddr,
    /// Requests being answered right now, and the most there ever were at once.
    pub load: Rc<Load>,
    /// The accept loop.
    accept: JoinHandle<()>,
    /// The tasks answering requests now (finished ones are pruned at each accept).
    answering: Rc<RefCell<Vec<JoinHandle<()>>>>,
}

impl Server {
    /// Stop: cancel the accept loop and every answer in progress.
    pub fn stop(&self) {
        self.accept.cancel();
        for task in self.answering.borrow().iter() {
            task.cancel();
        }
    }

    /// Serve until the program is stopped (`--serve`).
    pub async fn serve_forever(self) {
        let _ = self.accept.await;
    }
}

/// Requests in flight, counted by the server.
#[derive(Default)]
pub struct Load {
    /// Being answered now.
    now: Cell<usize>,
    /// The most at once so far.
    peak: Cell<usize>,
}

impl Load {
    /// The most requests the server was answering at once.
    pub fn peak(&self) -> usize {
        self.peak.get()
    }
}

/// Bind 127.0.0.1 on an OS-chosen port and serve until cancelled.
pub fn serve() -> io::Result<Server> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr();
    let load = Rc::new(Load::default());
    let counter = load.clone();
    let answering = Rc::new(RefCell::new(Vec::<JoinHandle<()>>::new()));
    let tasks = answering.clone();
    let accept = spawn(async move {
        loop {
            let Ok((stream, _peer)) = listener.accept().await else {
                continue; // a failed accept (the peer gave up) is not the server's end
            };
            let load = counter.clone();
            let task = spawn(async move {
                load.now.set(load.now.get() + 1);
                load.peak.set(load.peak.get().max(load.now.get()));
                let _ = answer(stream).await; // a client that hangs up early is fine
                load.now.set(load.now.get() - 1);
            });
            let mut tasks = tasks.borrow_mut();
            tasks.retain(|task| !task.is_finished());
            tasks.push(task);
        }
    });
    Ok(Server {
        addr,
        load,
        accept,
        answering,
    })
}

/// Read one request, write one response, close.
async fn answer(stream: TcpStream) -> io::Result<()> {
    let mut reader = BufReader::new(stream.clone());
    let mut request_line = String::new();
    reader.read_line(&mut request_line).await?;
    loop {
        // Skip the headers, up to the blank line.
        let mut header = String::new();
        if reader.read_line(&mut header).await? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    if !path.starts_with("/delay/") {
        sleep(PAGE_LATENCY).await;
    }
    let (status, content_type, body) = route(&path).await;
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let mut writer = stream;
    writer.write_all(response.as_bytes()).await?;
    writer.close().await
}

/// What to answer for `path`.
async fn route(path: &str) -> (u16, &'static str, String) {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        [""] => (200, "text/html", page_html(0)),
        ["page", n] => match n.parse::<usize>() {
            Ok(n) if n < PAGES => (200, "text/html", page_html(n)),
            _ => (404, "text/plain", "no such page\n".to_string()),
        },
        ["delay", seconds] => match seconds.parse::<u64>() {
            Ok(seconds) => {
                sleep(Duration::from_secs(seconds)).await;
                (
                    200,
                    "application/json",
                    format!("{{\"delay\": {seconds}}}\n"),
                )
            }
            Err(_) => (404, "text/plain", "bad delay\n".to_string()),
        },
        ["status", code] => match code.parse::<u16>() {
            Ok(code) => (code, "text/plain", String::new()),
            Err(_) => (404, "text/plain", "bad status\n".to_string()),
        },
        ["json"] => (
            200,
            "application/json",
            "{\"slideshow\": {\"title\": \"Sample\"}}\n".to_string(),
        ),
        _ => (404, "text/plain", "not found\n".to_string()),
    }
}

/// An HTTP response: its status and body.
#[derive(Debug)]
pub struct Response {
    /// The status code (200, 404, ...).
    pub status: u16,
    /// The body, as text.
    pub body: String,
}

/// `GET path` from the server at `addr`, over a new connection.
///
/// # Cancel safety
///
/// Dropping the future closes the connection; nothing else is left behind.
pub async fn get(addr: SocketAddr, path: &str) -> io::Result<Response> {
    let mut stream = TcpStream::connect(addr).await?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "not an HTTP response"))?;
    Ok(Response {
        status,
        body: body.to_string(),
    })
}

/// The targets of the `<a href="...">` links in `html` (what BeautifulSoup's
/// `find_all("a")` gives the seed's crawler).
pub fn find_links(html: &str) -> Vec<String> {
    html.split("<a href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(href, _)| href.to_string()))
        .collect()
}
