//! Error messages that say what failed and where.
//!
//! The OS says "Connection refused (os error 111)"; a learner needs "connect to
//! 127.0.0.1:9 refused: nothing is listening there". These helpers rewrite the message and
//! keep the `ErrorKind`, so code can still `match error.kind()`.

use std::io;
use std::net::SocketAddr;

/// `bind` to `addr` failed.
pub(crate) fn bind(addr: SocketAddr, error: io::Error) -> io::Error {
    let message = match error.kind() {
        io::ErrorKind::AddrInUse => format!(
            "address {addr} already in use: another socket is bound there \
             (bind to port 0 to let the OS choose a free port)"
        ),
        io::ErrorKind::AddrNotAvailable => {
            format!("address {addr} is not an address of this machine")
        }
        io::ErrorKind::PermissionDenied => {
            format!("binding {addr} is not permitted (ports below 1024 need privileges)")
        }
        _ => format!("bind to {addr} failed: {error}"),
    };
    io::Error::new(error.kind(), message)
}

/// `connect` to `addr` failed.
pub(crate) fn connect(addr: SocketAddr, error: io::Error) -> io::Error {
    let message = match error.kind() {
        io::ErrorKind::ConnectionRefused => {
            format!("connect to {addr} refused: nothing is listening there")
        }
        io::ErrorKind::TimedOut => format!("connect to {addr} timed out"),
        _ => format!("connect to {addr} failed: {error}"),
    };
    io::Error::new(error.kind(), message)
}

/// A read or write on the connection with `peer` failed. Errors that are not about the
/// connection itself are passed through unchanged.
pub(crate) fn stream(peer: SocketAddr, error: io::Error) -> io::Error {
    let message = match error.kind() {
        io::ErrorKind::ConnectionReset => format!("connection with {peer} reset by peer"),
        io::ErrorKind::BrokenPipe => {
            format!("write to {peer} failed: the peer has closed the connection (broken pipe)")
        }
        io::ErrorKind::ConnectionAborted => format!("connection with {peer} aborted"),
        _ => return error,
    };
    io::Error::new(error.kind(), message)
}
