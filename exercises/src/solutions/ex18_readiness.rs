//! Reference solution of exercise 18 (see `src/ex18_readiness.rs` for the instructions).

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
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    stream.set_nonblocking(true)?;
                    let key = self.next_key;
                    self.next_key += 1;
                    self.register(&stream, key)?;
                    self.clients.insert(
                        key,
                        Client {
                            stream,
                            pending: Vec::new(),
                            eof: false,
                        },
                    );
                }
                // Nothing more waiting: that is the only "done" there is.
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        // `polling`'s registrations are oneshot: after an event, interest must be renewed.
        self.poller
            .modify(&self.listener, Event::readable(LISTENER))
    }
    // ANCHOR_END: accept_all

    // ANCHOR: serve
    /// Client `key` is ready: read what it sent, write back what it can take, and re-arm it
    /// (or remove it, once it has closed and everything was written back).
    fn serve(&mut self, key: usize) {
        let Some(client) = self.clients.get_mut(&key) else {
            return; // removed earlier in this turn
        };
        let mut broken = false;
        let mut buffer = [0u8; 4096];
        while !client.eof {
            match client.stream.read(&mut buffer) {
                Ok(0) => client.eof = true,
                Ok(n) => client.pending.extend_from_slice(&buffer[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => {
                    broken = true;
                    break;
                }
            }
        }
        while !broken && !client.pending.is_empty() {
            match client.stream.write(&client.pending) {
                Ok(n) => {
                    client.pending.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => broken = true,
            }
        }
        if broken || (client.eof && client.pending.is_empty()) {
            self.remove(key);
            return;
        }
        // Re-arm: readable while the client may still send, writable while output waits.
        let mut interest = Event::none(key);
        interest.readable = !client.eof;
        interest.writable = !client.pending.is_empty();
        if self.poller.modify(&client.stream, interest).is_err() {
            self.remove(key);
        }
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
