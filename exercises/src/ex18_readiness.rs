//! # Exercise 18: a readiness loop of your own
//!
//! Under every event loop is one system call: "tell me which of these sockets are ready"
//! (`epoll_wait` on Linux, `kqueue` on the BSDs and macOS). asyncio's `selector` loop calls it
//! through `selectors`; tinyloop's reactor calls it through the `polling` crate. Here you use
//! `polling` directly, with no futures, no wakers and no tinyloop: a tiny echo server that
//! serves many clients on one thread, the way the first event loops did.
//!
//! The loop (`turn`, given) waits for events and hands each to you. Three rules of readiness
//! I/O make or break it:
//!
//! - **Until `WouldBlock`.** "Readable" means "at least one read will not block", not "one
//!   read gets everything". Accept, read and write in a loop until the OS says `WouldBlock`.
//! - **Oneshot: re-arm.** `polling` reports a registration once; after an event, you must
//!   `poller.modify(..)` it to hear about it again. Forget it and that socket goes silent.
//! - **Delete before close.** The poller knows a socket by its descriptor number. Delete it
//!   from the poller *before* the socket closes (given: `remove` does it in that order).
//!
//! An echo server must also not lose bytes when the client is slow to read: what cannot be
//! written now waits in `pending`, and the client is armed for *writable* until it is flushed.
//!
//! Given: the types, `bind`, `addr`, `clients`, `turn`, `register` and `remove`. Write:
//!
//! - `accept_all`: accept every waiting connection (until `WouldBlock`): make it non-blocking,
//!   give it the next key, `register` it, store it as a `Client`. Then re-arm the listener
//!   (`poller.modify(&self.listener, Event::readable(LISTENER))`).
//! - `serve(key)`: read until `WouldBlock` into `pending` (a read of 0 bytes means the client
//!   closed its side: set `eof`); write `pending` back until it is empty or `WouldBlock`; if
//!   the client has closed and nothing is pending (or the socket broke), `remove` it; otherwise
//!   re-arm it: readable unless `eof`, writable while `pending` is not empty.
//!
//! Check it with `cargo run -- check 18` (or `cargo run -- watch`).

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use polling::{Event, Events, Poller};

/// The key the listener's events come under; clients get keys from 1 up.
const LISTENER: usize = 0;

/// One connected client.
pub struct Client {
    /// Its socket, non-blocking, registered in the poller under its key.
    stream: TcpStream,
    /// Bytes read from it and not yet written back.
    pending: Vec<u8>,
    /// Whether it has closed its sending side (a read returned 0): nothing more will come.
    eof: bool,
}

/// An echo server on a readiness loop of its own: one thread, one `Poller`, no futures.
pub struct EchoServer {
    /// The OS's readiness API (epoll, kqueue), through the `polling` crate.
    poller: Poller,
    /// The listening socket, non-blocking, registered under [`LISTENER`].
    listener: TcpListener,
    /// The connected clients, by key.
    clients: HashMap<usize, Client>,
    /// The key the next client gets.
    next_key: usize,
    /// The events of the last wait (kept to reuse its allocation).
    events: Events,
}

impl EchoServer {
    /// A server listening on `127.0.0.1`, on a port the OS picks.
    pub fn bind() -> io::Result<EchoServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let poller = Poller::new()?;
        // SAFETY: `polling` needs a registered socket to be deleted from the poller before it
        // is closed. The listener lives in the server and is deleted in `Drop`, before the
        // field is dropped.
        unsafe { poller.add(&listener, Event::readable(LISTENER))? };
        Ok(EchoServer {
            poller,
            listener,
            clients: HashMap::new(),
            next_key: LISTENER + 1,
            events: Events::new(),
        })
    }

    /// The address clients connect to.
    pub fn addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// How many clients are connected.
    pub fn clients(&self) -> usize {
        self.clients.len()
    }

    /// One turn of the loop: wait (at most `timeout`) for readiness, then handle every event.
    /// Returns how many events there were.
    pub fn turn(&mut self, timeout: Option<Duration>) -> io::Result<usize> {
        self.events.clear();
        self.poller.wait(&mut self.events, timeout)?;
        let ready: Vec<Event> = self.events.iter().collect();
        for event in &ready {
            if event.key == LISTENER {
                self.accept_all()?;
            } else {
                self.serve(event.key);
            }
        }
        Ok(ready.len())
    }

    /// Registers a client's socket for readability under `key`.
    fn register(&self, stream: &TcpStream, key: usize) -> io::Result<()> {
        // SAFETY: the stream is stored in `clients` right after this, and `remove` (or `Drop`)
        // deletes it from the poller before it is dropped.
        unsafe { self.poller.add(stream, Event::readable(key)) }
    }

    /// Deletes client `key` from the poller, then drops (closes) it: in that order.
    fn remove(&mut self, key: usize) {
        if let Some(client) = self.clients.remove(&key) {
            let _ = self.poller.delete(&client.stream);
        }
    }

    // ANCHOR: accept_all
    /// The listener is readable: accept every waiting connection, then re-arm the listener.
    fn accept_all(&mut self) -> io::Result<()> {
        // Your code: accept until WouldBlock (non-blocking, next key, register, store), then
        // re-arm the listener.
        todo!()
    }
    // ANCHOR_END: accept_all

    // ANCHOR: serve
    /// Client `key` is ready: read what it sent, write back what it can take, and re-arm it
    /// (or remove it, once it has closed and everything was written back).
    fn serve(&mut self, key: usize) {
        // Your code: read until WouldBlock into `pending` (0 bytes: eof); write `pending` back
        // until empty or WouldBlock; remove a finished or broken client, or re-arm it.
        todo!()
    }
    // ANCHOR_END: serve
}

impl Drop for EchoServer {
    fn drop(&mut self) {
        let keys: Vec<usize> = self.clients.keys().copied().collect();
        for key in keys {
            self.remove(key);
        }
        let _ = self.poller.delete(&self.listener);
    }
}
