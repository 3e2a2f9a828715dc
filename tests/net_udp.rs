//! UDP through the reactor: a receive parks until a datagram comes, and giving up on a
//! receive loses nothing.

use std::time::Duration;

use tinyloop::runtime::reactor;
use tinyloop::{UdpSocket, now, run_virtual, sleep, spawn, timeout};

#[test]
fn a_receive_parks_until_a_datagram_arrives() {
    run_virtual(async {
        let receiver = UdpSocket::bind("127.0.0.1:0").unwrap();
        let to = receiver.local_addr();
        let sender = spawn(async move {
            sleep(Duration::from_millis(500)).await;
            let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
            socket.send_to(b"late datagram", to).await.unwrap();
        });
        let mut buf = [0u8; 64];
        let (n, _) = receiver.recv_from(&mut buf).await.unwrap();
        assert_eq!(
            (&buf[..n], now().to_string()),
            (&b"late datagram"[..], "t=0.50".to_string())
        );
        sender.await.unwrap();
    });
}

#[test]
fn a_receive_given_up_by_a_timeout_loses_no_datagram() {
    run_virtual(async {
        let receiver = UdpSocket::bind("127.0.0.1:0").unwrap();
        let sender = UdpSocket::bind("127.0.0.1:0").unwrap();
        let mut buf = [0u8; 64];
        let gave_up = timeout(Duration::from_secs(1), receiver.recv_from(&mut buf)).await;
        assert!(gave_up.is_err());
        assert_eq!(now().to_string(), "t=1.00");
        sender
            .send_to(b"after", receiver.local_addr())
            .await
            .unwrap();
        let (n, from) = receiver.recv_from(&mut buf).await.unwrap();
        assert_eq!((&buf[..n], from), (&b"after"[..], sender.local_addr()));
        drop((receiver, sender));
        assert_eq!(reactor::registered(), 0);
    });
}
