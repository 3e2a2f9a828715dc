"""The nine workloads of tinyloop's benchmark on CPython's asyncio (and uvloop).

Run by the Rust runner as `python3 asyncio_bench.py WORKLOAD asyncio|uvloop`; prints one
RESULT line with the same fields and checksums as the Rust cells (see bench/src/workloads.rs).
"""

import asyncio
import resource
import sys
import time

SPAWN_TASKS = 1_000_000
PINGPONG_YIELDS = 5_000_000
TIMER_TASKS = 100_000
TIMER_SPAN = 0.2
TIMEOUTS = 1_000_000
SEMAPHORE_TASKS = 100_000
SEMAPHORE_PERMITS = 10
QUEUE_CAPACITY = 64
QUEUE_1P1C_ITEMS = 5_000_000
QUEUE_4P4C_ITEMS = 4_000_000
QUEUE_SIDES = 4
ECHO_CLIENTS = 100
ECHO_ROUND_TRIPS = 1_000
ECHO_MESSAGE = 64
IDLE_TASKS = 1_000_000


def rss_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


async def spawn_join():
    async def trivial(i):
        return i

    tasks = [asyncio.create_task(trivial(i)) for i in range(SPAWN_TASKS)]
    total = 0
    for task in tasks:
        total += await task
    return total, 0


async def yield_pingpong():
    count = 0

    async def player():
        nonlocal count
        for _ in range(PINGPONG_YIELDS // 2):
            await asyncio.sleep(0)
            count += 1

    await asyncio.gather(player(), player())
    return count, 0


async def timers_fire():
    loop = asyncio.get_running_loop()
    start = loop.time()

    async def sleeper(i):
        deadline = TIMER_SPAN * i / (TIMER_TASKS - 1)
        await asyncio.sleep(start + deadline - loop.time())
        return i

    tasks = [asyncio.create_task(sleeper(i)) for i in range(TIMER_TASKS)]
    total = 0
    for task in tasks:
        total += await task
    return total, 0


async def timers_cancel():
    done = 0
    for _ in range(TIMEOUTS):
        try:
            await asyncio.wait_for(asyncio.sleep(0), timeout=10)
            done += 1
        except asyncio.TimeoutError:
            pass
    return done, 0


async def semaphore():
    sem = asyncio.Semaphore(SEMAPHORE_PERMITS)
    held = 0
    peak = 0

    async def worker():
        nonlocal held, peak
        async with sem:
            held += 1
            peak = max(peak, held)
            await asyncio.sleep(0)
            held -= 1

    tasks = [asyncio.create_task(worker()) for _ in range(SEMAPHORE_TASKS)]
    for task in tasks:
        await task
    return SEMAPHORE_TASKS + 1_000_000 * peak, 0


async def queue(sides, items):
    q = asyncio.Queue(QUEUE_CAPACITY)

    async def producer(p):
        item = p
        while item < items:
            await q.put(item)
            item += sides

    async def consumer():
        total = 0
        while True:
            item = await q.get()
            if item is None:
                return total
            total += item

    producers = [asyncio.create_task(producer(p)) for p in range(sides)]
    consumers = [asyncio.create_task(consumer()) for _ in range(sides)]
    await asyncio.gather(*producers)
    for _ in range(sides):
        await q.put(None)
    return sum(await asyncio.gather(*consumers)), 0


async def tcp_echo():
    async def echo(reader, writer):
        writer.get_extra_info("socket").setsockopt(6, 1, 1)  # TCP_NODELAY
        try:
            while True:
                data = await reader.readexactly(ECHO_MESSAGE)
                writer.write(data)
                await writer.drain()
        except asyncio.IncompleteReadError:
            writer.close()

    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    async def client(c):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.get_extra_info("socket").setsockopt(6, 1, 1)
        message = bytes([c % 256]) * ECHO_MESSAGE
        total = 0
        for _ in range(ECHO_ROUND_TRIPS):
            writer.write(message)
            await writer.drain()
            reply = await reader.readexactly(ECHO_MESSAGE)
            assert reply == message
            total += ECHO_MESSAGE
        writer.close()
        return total

    totals = await asyncio.gather(*(client(c) for c in range(ECHO_CLIENTS)))
    server.close()
    return sum(totals), 0


async def idle_tasks_memory():
    event = asyncio.Event()
    parked = 0

    async def idler():
        nonlocal parked
        parked += 1
        await event.wait()

    before = rss_bytes()
    tasks = [asyncio.create_task(idler()) for _ in range(IDLE_TASKS)]
    while parked < IDLE_TASKS:
        await asyncio.sleep(0)
    extra = rss_bytes() - before
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return parked, extra


WORKLOADS = {
    "spawn_join": spawn_join,
    "yield_pingpong": yield_pingpong,
    "timers_fire": timers_fire,
    "timers_cancel": timers_cancel,
    "semaphore": semaphore,
    "queue_1p1c": lambda: queue(1, QUEUE_1P1C_ITEMS),
    "queue_4p4c": lambda: queue(QUEUE_SIDES, QUEUE_4P4C_ITEMS),
    "tcp_echo": tcp_echo,
    "idle_tasks_memory": idle_tasks_memory,
}


def main():
    workload, runtime = sys.argv[1], sys.argv[2]
    if runtime == "uvloop":
        import uvloop

        uvloop.install()
    started = time.perf_counter()
    checksum, extra = asyncio.run(WORKLOADS[workload]())
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        f"RESULT elapsed_ns={int(elapsed * 1e9)} checksum={checksum} "
        f"peak_rss={peak} extra_bytes={extra}"
    )


if __name__ == "__main__":
    main()
