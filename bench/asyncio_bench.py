"""The workloads of tinyloop's benchmark on CPython's asyncio (and uvloop).

Run by the Rust runner as `python3 asyncio_bench.py WORKLOAD asyncio|uvloop`; prints one
RESULT line with the same fields and checksums as the Rust cells (see bench/src/workloads.rs,
whose sizes, divisor and checksums this file mirrors).
"""

import array
import asyncio
import math
import os
import resource
import sys
import time

# TINYLOOP_BENCH_DIVISOR divides the counts (never the structure), as in workloads.rs.
DIVISOR = max(1, int(os.environ.get("TINYLOOP_BENCH_DIVISOR", "1")))


def divided(n):
    return max(2, n // DIVISOR)


SPAWN_TASKS = divided(1_000_000)
PINGPONG_YIELDS = divided(5_000_000) // 2 * 2
TIMER_TASKS = divided(100_000)
TIMER_SPAN = 0.2
TIMEOUTS = divided(1_000_000)
SEMAPHORE_TASKS = divided(100_000)
SEMAPHORE_PERMITS = 10
QUEUE_CAPACITY = 64
QUEUE_1P1C_ITEMS = divided(5_000_000)
QUEUE_4P4C_ITEMS = divided(4_000_000)
QUEUE_SIDES = 4
ECHO_CLIENTS = 100
ECHO_ROUND_TRIPS = divided(1_000)
ECHO_MESSAGE = 64
ECHO_BUFFER = 4096
IDLE_TASKS = divided(1_000_000)
SLEEPERS_10K = divided(10_000)
SLEEPERS_100K = divided(100_000)
SLEEPERS_RUN = 2.0 if DIVISOR == 1 else 0.3
BROADCAST_WAITERS = divided(10_000)
BROADCAST_ROUNDS = divided(50)
CHURN_CONNECTIONS = divided(10_000)
CHURN_CONCURRENCY = 256
TO_THREAD_CALLERS = 10
TO_THREAD_CALLS = divided(1_000)
QUIET_SOCKETS = 100
READ_TIMEOUTS = divided(1_000)
READ_TIMEOUT = 0.001
LOAD_TASKS = 1_000
LATENCY_REQUESTS = divided(1_000)
CHILDREN = divided(100_000)


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
    # The yields counted, plus 1 000 000 if at least a quarter of them handed the turn to
    # the other player (see Turns in workloads.rs).
    last = None
    counted = 0
    alternations = 0

    async def player(me):
        nonlocal last, counted, alternations
        for _ in range(PINGPONG_YIELDS // 2):
            await asyncio.sleep(0)
            counted += 1
            if last != me:
                alternations += 1
            last = me

    await asyncio.gather(player(0), player(1))
    often_enough = 4 * alternations >= counted
    return counted + 1_000_000 * often_enough, 0, {"alternate_pct": 100 * alternations // counted}


async def timers_fire():
    loop = asyncio.get_running_loop()
    start = loop.time()
    # Lateness is measured on the real clock: uvloop's loop.time() is cached, in whole ms.
    mono_start = time.monotonic()

    latest = 0.0
    last = 0.0

    async def sleeper(i):
        nonlocal latest, last
        deadline = TIMER_SPAN * i / (TIMER_TASKS - 1)
        await asyncio.sleep(start + deadline - loop.time())
        late = time.monotonic() - mono_start - deadline
        latest = max(latest, late)
        if i == TIMER_TASKS - 1:
            last = late
        return i

    tasks = [asyncio.create_task(sleeper(i)) for i in range(TIMER_TASKS)]
    total = 0
    for task in tasks:
        total += await task
    joined = time.monotonic() - mono_start
    figures = {"max_late_ns": latest, "last_late_ns": last, "joined_ns": joined}
    return total, 0, {name: int(max(value, 0) * 1e9) for name, value in figures.items()}


async def timers_cancel():
    done = 0
    suspended = 0

    async def inner():
        await asyncio.sleep(0)
        return True

    for _ in range(TIMEOUTS):
        try:
            came_back = await asyncio.wait_for(inner(), timeout=10)
            done += 1
            suspended += came_back
        except asyncio.TimeoutError:
            pass
    return done + 1_000_000 * suspended, 0


async def semaphore():
    sem = asyncio.Semaphore(SEMAPHORE_PERMITS)
    taken = 0
    held = 0
    peak = 0

    async def worker():
        nonlocal taken, held, peak
        async with sem:
            taken += 1
            held += 1
            peak = max(peak, held)
            await asyncio.sleep(0)
            held -= 1

    tasks = [asyncio.create_task(worker()) for _ in range(SEMAPHORE_TASKS)]
    for task in tasks:
        await task
    return taken + 1_000_000 * peak, 0


# Queue.shutdown is new in Python 3.13; before it, a sentinel per consumer is the only way
# to end the consumers.
HAS_SHUTDOWN = hasattr(asyncio.Queue, "shutdown")


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
            try:
                item = await q.get()
            except Exception as error:  # asyncio.QueueShutDown, on 3.13+
                if type(error).__name__ == "QueueShutDown":
                    return total
                raise
            if item is None:
                return total
            total += item

    producers = [asyncio.create_task(producer(p)) for p in range(sides)]
    consumers = [asyncio.create_task(consumer()) for _ in range(sides)]
    await asyncio.gather(*producers)
    if HAS_SHUTDOWN:
        q.shutdown()
    else:
        for _ in range(sides):
            await q.put(None)
    return sum(await asyncio.gather(*consumers)), 0


async def tcp_echo():
    # The ordinary echo server: read what is there (up to 4 KiB), write back what was read;
    # the server awaits its handlers before it is done.
    handlers = []

    async def echo(reader, writer):
        handlers.append(asyncio.current_task())
        while data := await reader.read(ECHO_BUFFER):
            writer.write(data)
            await writer.drain()
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
    await asyncio.gather(*handlers)
    return sum(totals), 0


async def idle_tasks_memory():
    event = asyncio.Event()
    parked = 0

    async def idler():
        nonlocal parked
        parked += 1
        await event.wait()

    before = rss_bytes()
    # Detached, as in every runtime's version: no handle is kept (the Event's waiters keep
    # the tasks alive, and asyncio.run cancels them at the end).
    for _ in range(IDLE_TASKS):
        asyncio.create_task(idler())
    while parked < IDLE_TASKS:
        await asyncio.sleep(0)
    extra = rss_bytes() - before
    # Measured; now let them go. Cancelling them (what asyncio.run does with tasks left
    # pending) would take hours: each cancelled `Event.wait` removes its future from the
    # Event's deque with `deque.remove`, a scan from the front, so a million cancellations
    # cost n²/2 steps. Set, they leave in wait order, each found first in the deque.
    event.set()
    while len(asyncio.all_tasks()) > 1:
        await asyncio.sleep(0)
    return IDLE_TASKS, extra


def percentiles(seconds):
    """p50, p99, p99.9 and the maximum of a list of durations, as RESULT figures (ns)."""
    ordered = sorted(seconds)
    if not ordered:
        sys.exit(
            "no lateness measured: no task slept before the run's end; the runtime did not "
            "start its tasks within the run (SLEEPERS_RUN)"
        )
    at = lambda q: ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]
    figures = {"p50_ns": at(0.50), "p99_ns": at(0.99), "p999_ns": at(0.999), "max_ns": ordered[-1]}
    return {name: int(max(value, 0) * 1e9) for name, value in figures.items()}


async def echo_handler(handlers):
    """The ordinary echo handler for start_server: read what is there (up to 4 KiB), write
    back what was read, until the client closes; `handlers` collects the handler tasks so
    that the server can await them."""

    async def echo(reader, writer):
        handlers.append(asyncio.current_task())
        writer.get_extra_info("socket").setsockopt(6, 1, 1)  # TCP_NODELAY
        while data := await reader.read(ECHO_BUFFER):
            writer.write(data)
            await writer.drain()
        writer.close()

    return echo


async def connect(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.get_extra_info("socket").setsockopt(6, 1, 1)
    return reader, writer


async def periodic_sleepers(tasks):
    # Measured on the real clock: uvloop's loop.time() is cached, in whole milliseconds.
    end = time.monotonic() + SLEEPERS_RUN
    lateness = array.array("d")
    # asyncio runs a timer once the clock is within its resolution of the deadline, and
    # uvloop's timers count whole milliseconds: a wake up to 1 ms early counts as on time.
    tolerance = 0.001

    async def sleeper(i):
        period = (10 + i % 91) / 1000
        on_time = True
        while True:
            due = time.monotonic() + period
            if due > end:
                break
            await asyncio.sleep(period)
            woke = time.monotonic()
            on_time &= woke + tolerance >= due
            lateness.append(woke - due)
        return 1 + 1_000_000 * on_time

    total = sum(await asyncio.gather(*(sleeper(i) for i in range(tasks))))
    return total, 0, percentiles(lateness)


async def broadcast():
    rounds = [asyncio.Event() for _ in range(BROADCAST_ROUNDS)]
    parked = woke = 0

    async def waiter():
        nonlocal parked, woke
        for event in rounds:
            parked += 1
            await event.wait()
            woke += 1

    waiters = [asyncio.create_task(waiter()) for _ in range(BROADCAST_WAITERS)]
    for number, event in enumerate(rounds):
        while parked < BROADCAST_WAITERS * (number + 1):
            await asyncio.sleep(0)
        event.set()
    await asyncio.gather(*waiters)
    return woke, 0


async def connection_churn():
    handlers = []
    server = await asyncio.start_server(await echo_handler(handlers), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    async def client(first):
        total = 0
        for c in range(first, CHURN_CONNECTIONS, CHURN_CONCURRENCY):
            reader, writer = await connect(port)
            message = bytes([c % 256]) * ECHO_MESSAGE
            writer.write(message)
            await writer.drain()
            assert await reader.readexactly(ECHO_MESSAGE) == message
            writer.close()
            total += ECHO_MESSAGE
        return total

    clients = range(min(CHURN_CONCURRENCY, CHURN_CONNECTIONS))
    totals = await asyncio.gather(*(client(first) for first in clients))
    server.close()
    await asyncio.gather(*handlers)
    return sum(totals), 0


async def to_thread():
    latency = []

    async def caller():
        total = 0
        for i in range(TO_THREAD_CALLS):
            asked = time.perf_counter()
            total += await asyncio.to_thread(lambda i=i: i)
            latency.append(time.perf_counter() - asked)
        return total

    total = sum(await asyncio.gather(*(caller() for _ in range(TO_THREAD_CALLERS))))
    return total, 0, percentiles(latency)


async def read_timeouts():
    quiet = []

    async def keep_open(reader, writer):
        quiet.append(writer)  # never written to; closed at the end

    server = await asyncio.start_server(keep_open, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]

    async def read_and_time_out(reader):
        expired = 0
        for _ in range(READ_TIMEOUTS):
            try:
                data = await asyncio.wait_for(reader.read(ECHO_MESSAGE), READ_TIMEOUT)
                raise AssertionError(f"a read on a quiet socket returned {data!r}")
            except asyncio.TimeoutError:
                expired += 1
        return expired

    connections = [await connect(port) for _ in range(QUIET_SOCKETS)]
    total = sum(await asyncio.gather(*(read_and_time_out(r) for r, _ in connections)))
    for _, writer in connections:
        writer.close()
    for writer in quiet:
        writer.close()
    server.close()
    return total, 0


async def latency_under_load():
    handlers = []
    server = await asyncio.start_server(await echo_handler(handlers), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    stop = False

    async def load():
        while not stop:
            await asyncio.sleep(0)

    loaders = [asyncio.create_task(load()) for _ in range(LOAD_TASKS)]
    reader, writer = await connect(port)
    message = bytes([7]) * ECHO_MESSAGE
    latency = []
    total = 0
    for _ in range(LATENCY_REQUESTS):
        asked = time.perf_counter()
        writer.write(message)
        await writer.drain()
        reply = await reader.readexactly(ECHO_MESSAGE)
        latency.append(time.perf_counter() - asked)
        assert reply == message
        total += ECHO_MESSAGE
    stop = True
    writer.close()
    await asyncio.gather(*loaders)
    server.close()
    await asyncio.gather(*handlers)
    return total, 0, percentiles(latency)


async def child(i):
    await asyncio.sleep(0)
    return i


async def gather():
    return sum(await asyncio.gather(*(child(i) for i in range(CHILDREN)))), 0


async def task_group():
    async with asyncio.TaskGroup() as group:
        children = [group.create_task(child(i)) for i in range(CHILDREN)]
    return sum(task.result() for task in children), 0


async def wait_first():
    # Child 0 finishes at once; the others wait until the first wait has returned.
    go = asyncio.Event()

    async def waiting_child(i):
        if i > 0:
            await go.wait()
        return i

    children = [asyncio.create_task(waiting_child(i)) for i in range(CHILDREN)]
    first, pending = await asyncio.wait(children, return_when=asyncio.FIRST_COMPLETED)
    go.set()
    rest, _ = await asyncio.wait(pending)
    total = sum(task.result() for task in first | rest)
    return total + 1_000_000 * len(first), 0


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
    "periodic_sleepers_10k": lambda: periodic_sleepers(SLEEPERS_10K),
    "periodic_sleepers_100k": lambda: periodic_sleepers(SLEEPERS_100K),
    "broadcast": broadcast,
    "connection_churn": connection_churn,
    "to_thread": to_thread,
    "read_timeouts": read_timeouts,
    "latency_under_load": latency_under_load,
    "gather": gather,
    "task_group": task_group,
    "wait_first": wait_first,
}


def main():
    workload, runtime = sys.argv[1], sys.argv[2]
    if runtime == "uvloop":
        import uvloop

        uvloop.install()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    checksum, extra, *figures = asyncio.run(WORKLOADS[workload]())
    elapsed = time.perf_counter() - started
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    user = cpu.ru_utime - cpu_before.ru_utime
    system = cpu.ru_stime - cpu_before.ru_stime
    line = (
        f"RESULT elapsed_ns={int(elapsed * 1e9)} user_ns={int(user * 1e9)} "
        f"sys_ns={int(system * 1e9)} checksum={checksum} "
        f"peak_rss={cpu.ru_maxrss * 1024} extra_bytes={extra}"
    )
    for name, value in (figures[0] if figures else {}).items():
        line += f" {name}={value}"
    print(line)


if __name__ == "__main__":
    main()
