//! TCP through the reactor: echo at scale, half-close, resets, refused connects, listeners
//! dropped mid-accept, one task reading while another writes, and a real peer (python3).

use std::io::ErrorKind;
use std::net::Shutdown;

use futures_lite::{AsyncReadExt, AsyncWriteExt};
use tinyloop::runtime::reactor;
use tinyloop::{TcpListener, TcpStream, run, spawn, to_thread, yield_now};

/// An echo server on 127.0.0.1, port chosen by the OS: serves `clients` connections, each
/// until the client half-closes.
fn spawn_echo_server(clients: usize) -> (std::net::SocketAddr, tinyloop::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr();
    let server = spawn(async move {
        let mut sessions = Vec::new();
        for _ in 0..clients {
            let (mut stream, _) = listener.accept().await.unwrap();
            sessions.push(spawn(async move {
                let mut buf = vec![0u8; 4096];
                loop {
                    let n = stream.read(&mut buf).await.unwrap();
                    if n == 0 {
                        break; // the client half-closed: we're done
                    }
                    stream.write_all(&buf[..n]).await.unwrap();
                }
            }));
        }
        for session in sessions {
            session.await.unwrap();
        }
    });
    (addr, server)
}

async fn echo_client(addr: std::net::SocketAddr, id: usize, messages: usize) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut reply = [0u8; 32];
    for i in 0..messages {
        let message = format!("client {id:03} message {i:05}\n");
        stream.write_all(message.as_bytes()).await.unwrap();
        let reply = &mut reply[..message.len()];
        stream.read_exact(reply).await.unwrap();
        assert_eq!(reply, message.as_bytes(), "client {id} got a wrong echo");
    }
    stream.close().await.unwrap();
}

fn echo_many(clients: usize, messages: usize) {
    run(async move {
        let (addr, server) = spawn_echo_server(clients);
        let handles: Vec<_> = (0..clients)
            .map(|id| spawn(echo_client(addr, id, messages)))
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
        server.await.unwrap();
        assert_eq!(reactor::waiters(), 0, "nobody is left parked on a socket");
    });
}

/// 100 000 round trips: about 2 s in a debug build, under 1 s in release.
#[test]
fn a_hundred_clients_each_get_a_thousand_echoes_byte_exact() {
    echo_many(100, 1_000);
}

#[test]
fn a_half_closed_stream_still_receives_the_answer() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr();
        let server = spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut question = String::new();
            stream.read_to_string(&mut question).await.unwrap(); // until the client's EOF
            stream
                .write_all(format!("you said {question:?}").as_bytes())
                .await
                .unwrap();
        });
        let mut client = TcpStream::connect(addr).await.unwrap();
        client.write_all(b"hello").await.unwrap();
        client.shutdown(Shutdown::Write).unwrap(); // asyncio: writer.write_eof()
        let mut answer = String::new();
        client.read_to_string(&mut answer).await.unwrap();
        assert_eq!(answer, "you said \"hello\"");
        server.await.unwrap();
    });
}

#[test]
fn a_reset_by_the_peer_is_an_error_that_names_the_peer() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr()).await.unwrap();
        client.write_all(b"never read").await.unwrap();
        let (server_side, _) = listener.accept().await.unwrap();
        // Closing a socket with unread data makes the kernel send RST instead of FIN.
        drop(server_side);
        let mut buf = [0u8; 16];
        let error = client.read(&mut buf).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ConnectionReset);
        assert_eq!(
            error.to_string(),
            format!("connection with {} reset by peer", client.peer_addr())
        );
    });
}

#[test]
fn connecting_where_nobody_listens_is_refused_with_the_address_in_the_message() {
    run(async {
        let addr = TcpListener::bind("127.0.0.1:0").unwrap().local_addr(); // bound, then closed
        let error = TcpStream::connect(addr).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ConnectionRefused);
        assert_eq!(
            error.to_string(),
            format!("connect to {addr} refused: nothing is listening there")
        );
    });
}

#[test]
fn binding_a_taken_address_says_it_is_in_use() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr();
        let error = TcpListener::bind(addr).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AddrInUse);
        assert!(
            error
                .to_string()
                .starts_with(&format!("address {addr} already in use")),
            "{error}"
        );
    });
}

#[test]
fn a_listener_dropped_while_accepting_is_deregistered_and_closed() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr();
        let acceptor = spawn(async move { listener.accept().await.map(|_| ()) });
        for _ in 0..3 {
            yield_now().await; // let it park in accept
        }
        assert_eq!((reactor::registered(), reactor::waiters()), (1, 1));
        acceptor.cancel(); // drops the accept future, then the listener
        assert!(acceptor.await.unwrap_err().is_cancelled());
        assert_eq!((reactor::registered(), reactor::waiters()), (0, 0));
        let error = TcpStream::connect(addr).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ConnectionRefused);
    });
}

#[test]
fn one_task_writes_while_another_reads_the_same_stream() {
    // 4 MiB each way: far more than the socket buffers hold, so the writer parks on
    // "writable" while the reader parks on "readable", on the same source.
    const TOTAL: usize = 4 << 20;
    run(async {
        let (addr, server) = spawn_echo_server(1);
        let stream = TcpStream::connect(addr).await.unwrap();
        let mut writer_half = stream.clone();
        let writer = spawn(async move {
            let chunk: Vec<u8> = (0..65_536u32).map(|i| (i % 251) as u8).collect();
            for _ in 0..TOTAL / chunk.len() {
                writer_half.write_all(&chunk).await.unwrap();
            }
            writer_half.close().await.unwrap(); // half-close: the server ends its session
        });
        let mut reader_half = stream;
        let reader = spawn(async move {
            let mut received = Vec::with_capacity(TOTAL);
            reader_half.read_to_end(&mut received).await.unwrap();
            received
        });
        writer.await.unwrap();
        let received = reader.await.unwrap();
        assert_eq!(received.len(), TOTAL);
        assert!(
            received
                .iter()
                .enumerate()
                .all(|(i, &b)| b == ((i % 65_536) % 251) as u8)
        );
        server.await.unwrap();
    });
}

#[test]
fn a_source_is_deleted_from_the_poller_before_its_fd_closes() {
    use std::os::fd::AsRawFd;
    use tinyloop::Async;
    run(async {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let peer = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (accepted, _) = listener.accept().unwrap();
        accepted.set_nonblocking(true).unwrap();
        // A second fd on the same open file: the file outlives the fd we register.
        let keep_open = accepted.try_clone().unwrap();
        let number = accepted.as_raw_fd();
        let registered = Async::new(accepted).unwrap();
        assert_eq!(reactor::registered(), 1);
        drop(registered);
        assert_eq!(reactor::registered(), 0);
        // The fd number is free again; dup the same open file into it. Had the registration
        // (fd number, open file) survived the close, adding this one would fail with EEXIST.
        let again = keep_open.try_clone().unwrap();
        if again.as_raw_fd() != number {
            eprintln!(
                "note: another thread took fd {number}; the re-registration check is skipped"
            );
            return;
        }
        let again = Async::new(again).expect("the old registration was deleted before close");
        drop((again, peer));
    });
}

#[test]
fn a_python_asyncio_client_talks_to_the_echo_server() {
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output();
    if python.is_err() {
        eprintln!("note: python3 is not installed; skipping the real-peer test");
        return;
    }
    const CLIENT: &str = r#"
import asyncio, sys
async def main(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for word in ["hello", "from", "python"]:
        writer.write((word + "\n").encode())
        await writer.drain()
        print((await reader.readline()).decode().strip())
    writer.write_eof()
    assert await reader.read() == b""
    writer.close()
    await writer.wait_closed()
asyncio.run(main(int(sys.argv[1])))
"#;
    run(async {
        let (addr, server) = spawn_echo_server(1);
        let port = addr.port().to_string();
        let output = to_thread(move || {
            std::process::Command::new("python3")
                .args(["-c", CLIENT, &port])
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "hello\nfrom\npython\n"
        );
        server.await.unwrap();
    });
}

#[test]
fn an_idle_loop_waiting_on_sockets_and_a_timer_uses_almost_no_cpu() {
    /// This thread's CPU time so far, in nanoseconds (first field of schedstat).
    fn thread_cpu_ns() -> Option<u64> {
        let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        text.split_whitespace().next()?.parse().ok()
    }
    if thread_cpu_ns().is_none() {
        eprintln!("note: no /proc/thread-self/schedstat; skipping the idle-CPU test");
        return;
    }
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let _acceptor = spawn(async move { listener.accept().await.map(|_| ()) });
        yield_now().await;
        let before = thread_cpu_ns().unwrap();
        tinyloop::sleep(std::time::Duration::from_millis(200)).await;
        let spent = thread_cpu_ns().unwrap() - before;
        // Blocked in epoll_wait the whole time: a few microseconds of CPU, not 200 ms.
        assert!(
            spent < 20_000_000,
            "an idle loop spent {spent} ns of CPU in 200 ms"
        );
    });
}
