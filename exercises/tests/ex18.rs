//! Grades exercise 18: an echo server on a readiness loop of its own (`polling`, no futures).
//!
//! The server runs on the test's thread, one `turn` at a time; clients are plain blocking
//! sockets on other threads. Nothing asserts on durations: the server is turned until the
//! clients are done, for at most 2 s, so a socket that went silent fails with a message.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex18_readiness.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex18_readiness.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex18;

use ex18::EchoServer;
use exercises::expect_eq;

/// Turns the server until `done` says so, failing after 2 s with `what` in the message.
fn turn_until(server: &mut EchoServer, what: &str, mut done: impl FnMut(&EchoServer) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(2);
    while !done(server) {
        assert!(
            Instant::now() < deadline,
            "after 2 s of turns, still waiting for {what}: did a socket go silent (not re-armed \
             with poller.modify), or was a read or accept not repeated until WouldBlock?"
        );
        server.turn(Some(Duration::from_millis(10))).unwrap();
    }
}

/// A client on its own thread: connects, sends each message, reads its echo, sends the echo
/// back on `results`.
fn client(
    addr: std::net::SocketAddr,
    messages: Vec<&'static str>,
    results: mpsc::Sender<String>,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        for message in messages {
            stream.write_all(message.as_bytes()).unwrap();
            let mut echo = vec![0; message.len()];
            let got = match stream.read_exact(&mut echo) {
                Ok(()) => String::from_utf8_lossy(&echo).to_string(),
                Err(e) => format!("no echo of {message:?}: {e}"),
            };
            results.send(got).unwrap();
        }
    })
}

#[test]
fn one_client_gets_its_bytes_back() {
    let mut server = EchoServer::bind().unwrap();
    let (send, results) = mpsc::channel();
    let handle = client(server.addr(), vec!["hello"], send);
    let mut got = Vec::new();
    turn_until(&mut server, "the echo of \"hello\"", |_| {
        got.extend(results.try_iter());
        !got.is_empty()
    });
    handle.join().unwrap();
    expect_eq!(got, ["hello"]);
}

#[test]
fn connections_waiting_together_are_all_accepted_in_one_turn() {
    let mut server = EchoServer::bind().unwrap();
    // Three connections complete (the kernel does the handshake) before the server looks.
    let streams: Vec<TcpStream> = (0..3)
        .map(|_| TcpStream::connect(server.addr()).unwrap())
        .collect();
    server.turn(Some(Duration::from_secs(1))).unwrap();
    expect_eq!(
        server.clients(),
        3,
        "clients after one turn with three connections waiting (accept until WouldBlock)"
    );
    drop(streams);
}

#[test]
fn a_connection_that_comes_later_is_accepted_too() {
    let mut server = EchoServer::bind().unwrap();
    let first = TcpStream::connect(server.addr()).unwrap();
    turn_until(&mut server, "the first client to be accepted", |s| {
        s.clients() == 1
    });
    let second = TcpStream::connect(server.addr()).unwrap();
    turn_until(&mut server, "the second client, which came later", |s| {
        s.clients() == 2
    });
    drop((first, second));
}

#[test]
fn two_clients_are_served_in_turns_by_one_thread() {
    let mut server = EchoServer::bind().unwrap();
    let (send, results) = mpsc::channel();
    let a = client(server.addr(), vec!["a1", "a2", "a3"], send.clone());
    let b = client(server.addr(), vec!["b1", "b2", "b3"], send);
    let mut got = Vec::new();
    turn_until(&mut server, "six echoes from two clients", |_| {
        got.extend(results.try_iter());
        got.len() == 6
    });
    a.join().unwrap();
    b.join().unwrap();
    got.sort();
    expect_eq!(got, ["a1", "a2", "a3", "b1", "b2", "b3"]);
}

#[test]
fn a_client_that_disconnects_is_removed() {
    let mut server = EchoServer::bind().unwrap();
    let stream = TcpStream::connect(server.addr()).unwrap();
    turn_until(&mut server, "the client to be accepted", |s| {
        s.clients() == 1
    });
    drop(stream);
    turn_until(&mut server, "the closed client to be removed", |s| {
        s.clients() == 0
    });
}

#[test]
fn a_megabyte_comes_back_whole_even_when_the_client_reads_slowly() {
    let mut server = EchoServer::bind().unwrap();
    let data: Vec<u8> = (0..1 << 20).map(|i: u32| (i * 7 % 251) as u8).collect();
    let stream = TcpStream::connect(server.addr()).unwrap();
    let mut reader = stream.try_clone().unwrap();
    let (send, results) = mpsc::channel();
    let expected = data.clone();
    // The writer sends everything, then closes its side; the reader reads until the server
    // closes (after echoing the last byte).
    let writer = thread::spawn(move || {
        let mut stream = stream;
        stream.write_all(&data).unwrap();
        stream.shutdown(std::net::Shutdown::Write).unwrap();
    });
    let reading = thread::spawn(move || {
        reader
            .set_read_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        let mut echo = Vec::new();
        let result = reader.read_to_end(&mut echo);
        send.send((echo, result.map_err(|e| e.to_string())))
            .unwrap();
    });
    let mut got = None;
    turn_until(&mut server, "the megabyte's echo", |_| {
        if let Ok(result) = results.try_recv() {
            got = Some(result);
        }
        got.is_some()
    });
    writer.join().unwrap();
    reading.join().unwrap();
    let (echo, result) = got.unwrap();
    expect_eq!(
        result,
        Ok(echo.len()),
        "the reader's end (Ok: the server closed after the echo)"
    );
    expect_eq!(echo.len(), expected.len(), "bytes echoed");
    assert!(echo == expected, "the echo differs from what was sent");
    expect_eq!(
        server.clients(),
        0,
        "clients after the client closed and got everything back"
    );
}
