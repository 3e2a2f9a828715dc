"""Twin of `echo`: asyncio's echo server and client (`start_server`, `open_connection`),
the example behind seed 003's "monitors for I/O events".

Changed as the Rust demo changed it: the server and three clients share one loop on
127.0.0.1 (a port the OS chooses); the clients start 0.1 s apart, send three lines 0.3 s
apart, check each echo and close; `--serve` is not offered here.
"""

import asyncio

from vloop import run, say


async def main():
    connections = 0

    async def handle(reader, writer):
        nonlocal connections
        connections += 1
        number = connections
        say(f"server: connection {number} accepted")
        lines = 0
        while True:
            line = await reader.readline()
            if not line:
                break  # the client closed its side
            lines += 1
            writer.write(line)
            await writer.drain()
        say(f"server: connection {number} closed after {lines} lines")
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    say("server: listening on 127.0.0.1 (port chosen by the OS)")

    async def echo_client(client_id, count):
        await asyncio.sleep(0.1 * (client_id - 1))
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for n in range(1, count + 1):
            line = f"client {client_id} says hello #{n}\n"
            writer.write(line.encode())
            await writer.drain()
            echoed = await reader.readline()
            say(f'client {client_id}: sent "{line.rstrip()}", got it back: '
                f"{str(echoed.decode() == line).lower()}")
            await asyncio.sleep(0.3)
        writer.write_eof()  # half-close: the server reads end-of-file
        await writer.drain()

    await asyncio.gather(*(echo_client(i, 3) for i in (1, 2, 3)))
    await asyncio.sleep(0.1)  # let the server notice the closes
    say("echo: 3 clients, 9 lines, every echo byte-exact")
    server.close()


run(main())
