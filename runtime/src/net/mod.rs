//! Sockets on the reactor: `Async<T>`, `TcpListener`, `TcpStream`, `UdpSocket`, and
//! `to_thread`. (Being written; see issue 6.)
