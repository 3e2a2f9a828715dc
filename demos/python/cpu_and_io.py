"""Twin of `cpu_and_io`: seed 002 'Event Loop Deep Dive' (mixed CPU and I/O workload).

Changed as the Rust demo changed the seed: the CPU tasks run in chunks and either yield
after each (`await asyncio.sleep(0)`) or never; a chunk is much smaller than the Rust
demo's (CPython is slower, and on the virtual clock CPU work takes no loop time anyway).
"""

import asyncio

from vloop import run, say


def crunch():
    total = 0
    for i in range(20_000):
        total += i * i
    return total


async def cpu_bound_task(name, chunks, yields):
    say(f"{name}: Starting CPU work ({chunks} chunks)")
    for chunk in range(1, chunks + 1):
        crunch()
        if yields:
            say(f"{name}: chunk {chunk} done, yielding")
            await asyncio.sleep(0)  # give the loop back
    say(f"{name}: CPU work completed")


async def io_bound_task(name, seconds):
    say(f"{name}: Starting I/O work")
    await asyncio.sleep(seconds)  # simulates I/O wait
    say(f"{name}: I/O work completed")


async def mixed_workload(yields):
    tasks = [
        asyncio.create_task(cpu_bound_task("CPU-1", 4, yields)),
        asyncio.create_task(io_bound_task("IO-1", 2)),
        asyncio.create_task(io_bound_task("IO-2", 1)),
        asyncio.create_task(cpu_bound_task("CPU-2", 2, yields)),
    ]
    for task in tasks:
        await task


print("--- CPU tasks that yield after every chunk ---")
run(mixed_workload(True))
print("--- CPU tasks that never yield ---")
run(mixed_workload(False))
