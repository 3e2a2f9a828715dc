//! `echo`: an echo server and three clients on real sockets (asyncio's `start_server` and
//! `open_connection` example, the "Hello World" of network programming).
//!
//! The server accepts connections and gives each its own task that reads lines and writes
//! them back, until the client closes its side. Three clients start 0.1 s apart and send a
//! line every 0.3 s, so their conversations interleave on the one thread: while a client
//! waits for its next turn, the reactor serves the others.
//!
//! `echo --serve` keeps the server running and prints its port, so you can talk to it
//! yourself: `nc 127.0.0.1 PORT`, type a line, get it back.

use std::net::SocketAddr;
use std::time::Duration;

use futures_lite::io::BufReader;
use futures_lite::{AsyncBufReadExt, AsyncWriteExt};
use tinyloop::{TcpListener, TcpStream, sleep, spawn};

use crate::{Options, say};

// ANCHOR: server
/// Serve connections for ever: one task per client, as `asyncio.start_server` does.
async fn echo_server(listener: TcpListener) {
    let mut connections = 0;
    loop {
        let (stream, _peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                say!("server: accept failed: {error}");
                continue;
            }
        };
        connections += 1;
        let number = connections;
        say!("server: connection {number} accepted");
        // Detached (the handle is dropped): the session runs on by itself, as the
        // callbacks of asyncio's start_server do.
        drop(spawn(async move {
            let mut reader = BufReader::new(stream.clone()); // the StreamReader
            let mut writer = stream; // the StreamWriter
            let mut lines = 0;
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line).await {
                    Ok(0) | Err(_) => break, // the client closed its side
                    Ok(_) => {}
                }
                lines += 1;
                if writer.write_all(line.as_bytes()).await.is_err() {
                    break;
                }
            }
            say!("server: connection {number} closed after {lines} lines");
        }));
    }
}
// ANCHOR_END: server

// ANCHOR: client
/// Connect, send `count` lines 0.3 s apart, check each echo, close.
async fn echo_client(addr: SocketAddr, id: usize, count: usize) -> std::io::Result<()> {
    let stream = TcpStream::connect(addr).await?; // asyncio.open_connection
    let mut reader = BufReader::new(stream.clone());
    let mut writer = stream;
    for n in 1..=count {
        let line = format!("client {id} says hello #{n}\n");
        writer.write_all(line.as_bytes()).await?;
        let mut echoed = String::new();
        reader.read_line(&mut echoed).await?;
        say!(
            "client {id}: sent {:?}, got it back: {}",
            line.trim_end(),
            echoed == line
        );
        sleep(Duration::from_millis(300)).await;
    }
    writer.close().await // half-close: the server reads end-of-file
}
// ANCHOR_END: client

/// The demo's program.
pub fn run(options: &Options) {
    let serve = options.has_flag("--serve");
    options.run(async move {
        let listener = TcpListener::bind("127.0.0.1:0").expect("127.0.0.1 has free ports");
        let addr = listener.local_addr();
        say!("server: listening on 127.0.0.1 (port chosen by the OS)");
        let server = spawn(echo_server(listener));
        let clients: Vec<_> = (1..=3)
            .map(|id| {
                spawn(async move {
                    sleep(Duration::from_millis(100 * (id as u64 - 1))).await;
                    echo_client(addr, id, 3).await
                })
            })
            .collect();
        for client in clients {
            client
                .await
                .expect("no client panics")
                .expect("the echo works");
        }
        sleep(Duration::from_millis(100)).await; // let the server notice the closes
        say!("echo: 3 clients, 9 lines, every echo byte-exact");
        if serve {
            say!(
                "serving on {addr}: try `nc 127.0.0.1 {}` (Ctrl-C to stop)",
                addr.port()
            );
            server.await.expect("the server runs for ever");
        } else {
            server.cancel(); // the accept loop runs for ever: end it on purpose
        }
    });
}
