"""Twin of `mixed_workload`: "Understanding AsyncIO in Python: From First Principles", "Event
Loop Deep Dive", the mixed CPU and I/O workload as written.

Changed as the Rust demo changed the text: each `sum(range(100000))` is charged to the
virtual clock as 2 ms of blocking (`simulate_blocking`), what it costs on this machine's
CPythons, instead of being computed; the I/O lines say when they were due; the fix yields
every 20 iterations. `book/python/19_mixed_cpu_io_yields_rarely.py` is the same program,
with the text's own prints.
"""

import asyncio

from vloop import run, say, simulate_blocking

COST_OF_ONE_SUM = 0.002  # seconds of blocking per sum(range(100000))


async def cpu_bound_task(name, iterations, yield_every):
    say(f"{name}: Starting CPU work")
    for i in range(iterations):
        simulate_blocking(COST_OF_ONE_SUM)  # sum(range(100000))
        if i % yield_every == 0:
            await asyncio.sleep(0)
    say(f"{name}: CPU work completed")


async def io_bound_task(name, seconds):
    say(f"{name}: Starting I/O work")
    await asyncio.sleep(seconds)  # simulates I/O wait
    say(f"{name}: I/O work completed (due {seconds} s after it started)")


async def mixed_workload(yield_every):
    tasks = [
        asyncio.create_task(cpu_bound_task("CPU-1", 1000000, yield_every)),
        asyncio.create_task(io_bound_task("IO-1", 2)),
        asyncio.create_task(io_bound_task("IO-2", 1)),
        asyncio.create_task(cpu_bound_task("CPU-2", 500000, yield_every)),
    ]
    await asyncio.gather(*tasks)


print("--- the text's rate: yield when i % 100000 == 0 ---")
run(mixed_workload(100000))
print("--- the fix: yield when i % 20 == 0 (every 40 ms of work) ---")
run(mixed_workload(20))
