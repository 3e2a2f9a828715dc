//! The virtual clock with real sockets: I/O takes no loop time; a pending timer fires
//! after a short real-time grace when no socket has anything to say.

use std::time::Duration;

use futures_lite::{AsyncReadExt, AsyncWriteExt};
use tinyloop::{TcpListener, TcpStream, now, run_virtual, sleep, spawn, timeout};

#[test]
fn a_timeout_around_a_read_that_never_arrives_fires_at_its_virtual_deadline() {
    run_virtual(async {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr()).await.unwrap();
        let (_silent_server, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 8];
        let result = timeout(Duration::from_secs(3), client.read(&mut buf)).await;
        assert!(result.is_err(), "nothing was ever written");
        assert_eq!(now().to_string(), "t=3.00");
    });
}

#[test]
fn a_peer_that_answers_after_a_sleep_is_heard_at_exactly_that_time() {
    run_virtual(async {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr();
        let server = spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            sleep(Duration::from_millis(1500)).await; // a slow server
            stream.write_all(b"late").await.unwrap();
        });
        let mut client = TcpStream::connect(addr).await.unwrap();
        let mut buf = [0u8; 4];
        let read = timeout(Duration::from_secs(5), client.read_exact(&mut buf)).await;
        assert!(read.is_ok());
        assert_eq!((&buf, now().to_string()), (b"late", "t=1.50".to_string()));
        server.await.unwrap();
    });
}

#[test]
fn socket_traffic_between_tasks_takes_no_virtual_time() {
    run_virtual(async {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr();
        let server = spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut all = Vec::new();
            stream.read_to_end(&mut all).await.unwrap();
            all.len()
        });
        let mut client = TcpStream::connect(addr).await.unwrap();
        client.write_all(&[7u8; 100_000]).await.unwrap();
        client.close().await.unwrap();
        assert_eq!(server.await.unwrap(), 100_000);
        assert_eq!(now().to_string(), "t=0.00");
    });
}
