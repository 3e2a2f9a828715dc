"""Seed 002's mixed CPU and I/O example yields with `if i % 100000 == 0: await asyncio.sleep(0)`
while every iteration does sum(range(100000)): one stretch between yields is 100 000 such sums,
minutes of CPU, so the I/O tasks' one- and two-second sleeps end minutes late. Shown here by
measuring one sum and, scaled down, by the same shape: a task that yields every 100 heavy
iterations makes a 10 ms sleep end a stretch late; yielding every few milliseconds fixes it.

Book: (no chapter yet; issue 20 asks for one) why_async.md / threads.md.
Verdict: the seed's example is WRONG as a demonstration of yielding, 3.10-3.13.
CPython: Lib/asyncio/base_events.py: _run_once (a callback runs to its next await; timers are
only checked between callbacks).
"""
import asyncio
import time

timings = []
for _ in range(5):
    start = time.perf_counter()
    sum(range(100000))
    timings.append(time.perf_counter() - start)
stretch = min(timings) * 100000
print("seed: iterations between two yields:", 100000)
print("seed: one stretch without yielding lasts more than 60 s:", stretch > 60)


async def cpu_task(iterations, should_yield):
    last = time.perf_counter()
    for i in range(iterations):
        sum(range(100000))
        if should_yield(i, last):
            last = time.perf_counter()
            await asyncio.sleep(0)


async def io_task(delay):
    start = time.perf_counter()
    await asyncio.sleep(delay)
    return time.perf_counter() - start - delay


async def run(should_yield):
    cpu = asyncio.create_task(cpu_task(200, should_yield))
    late = await io_task(0.01)
    await cpu
    return late


late = asyncio.run(run(lambda i, last: i % 100 == 0))
print("scaled seed (yield every 100 iterations): 10 ms sleep ends > 0.1 s late:", late > 0.1)
late = asyncio.run(run(lambda i, last: time.perf_counter() - last > 0.005))
print("fix (yield every 5 ms of work): 10 ms sleep ends < 0.1 s late:", late < 0.1)
