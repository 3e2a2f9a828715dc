"""StreamReader.read does not register the socket with the selector per read. The transport adds
its reader once (when the connection is made) and its _read_ready callback feeds the
StreamReader's buffer; read() waits on a future that feed_data resolves. The try-then-register
pattern belongs to loop.sock_recv: it tries sock.recv() first and calls add_reader only when
that raises BlockingIOError.

Book: reactor.md (said StreamReader.read "ends in a call that registers a file descriptor").
Verdict: WRONG as the book said it, on 3.10-3.13.
CPython: Lib/asyncio/selector_events.py: _SelectorSocketTransport.__init__
(call_soon(self._add_reader, self._sock_fd, self._read_ready)), BaseSelectorEventLoop.sock_recv;
Lib/asyncio/streams.py: StreamReader.read, StreamReader._wait_for_data, StreamReader.feed_data.
"""
import asyncio
import socket


async def main():
    loop = asyncio.get_running_loop()
    registrations = []
    original = loop._add_reader

    def counting_add_reader(fd, callback, *args):
        registrations.append(getattr(callback, "__name__", "?"))
        return original(fd, callback, *args)

    loop._add_reader = counting_add_reader

    ours, theirs = socket.socketpair()
    reader, writer = await asyncio.open_connection(sock=ours)
    for chunk in (b"one", b"two", b"three"):
        loop.call_later(0.01, theirs.send, chunk)
        await reader.read(100)
    print("StreamReader: 3 reads, reader registrations:", registrations)
    writer.close()
    theirs.close()

    registrations.clear()
    a, b = socket.socketpair()
    a.setblocking(False)
    b.send(b"ready")
    await loop.sock_recv(a, 100)
    print("sock_recv with data waiting: registrations:", registrations)
    loop.call_later(0.01, b.send, b"later")
    await loop.sock_recv(a, 100)
    print("sock_recv with nothing to read: registrations:", registrations)
    a.close()
    b.close()


asyncio.run(main())
