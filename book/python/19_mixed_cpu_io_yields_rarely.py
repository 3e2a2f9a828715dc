"""Seed 002's mixed CPU and I/O example ("Event Loop Deep Dive") yields with `if i % 100000 == 0:
await asyncio.sleep(0)` while every iteration computes sum(range(100000)): one stretch between two
yields is 100 000 such sums, minutes of CPU, so the I/O tasks' one- and two-second sleeps end
twenty minutes late: 1 200 s, because waking a task from a timer takes asyncio two loop iterations
(see 23_loop_iterations_per_wakeup.py), and in each of them both CPU tasks run a whole stretch.
Yielding every 25 iterations (50 ms of work) brings that down to 0.2 s late, by the same
arithmetic.

The seed's program runs here as written, on asyncio's own loop with a virtual clock
(demos/python/vloop.py, which the demos' Python twins use): each iteration charges 2 ms to the
clock instead of computing, which is what one sum(range(100000)) costs on these CPythons (1.5 to 3
ms; the first line checks it), so the times printed are exact and the same on every run.

Book: asyncio_texts_get_wrong.md ("The mixed CPU and I/O workload yields control"),
why_async.md ("Async is not parallelism").
Verdict: the seed's example is WRONG as a demonstration of yielding, 3.10-3.13.
CPython: Lib/asyncio/base_events.py: BaseEventLoop._run_once (a task runs to its next await;
timers are looked at only between iterations).
"""
import asyncio
import sys
import time
from pathlib import Path

# asyncio's own loop on a virtual clock: the demos' twins use it too (demos/python/vloop.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "demos" / "python"))
import vloop  # noqa: E402

COST_OF_ONE_SUM = 0.002  # seconds charged to the virtual clock per sum(range(100000))

timings = []
for _ in range(5):
    start = time.perf_counter()
    sum(range(100000))
    timings.append(time.perf_counter() - start)
print("one sum(range(100000)) takes at least 0.5 ms here:", min(timings) > 0.0005)


def say(text):
    print(f"t={asyncio.get_running_loop().time():8.3f}  {text}")


async def cpu_bound_task(name, iterations, yield_every):
    say(f"{name}: Starting CPU work")
    for i in range(iterations):
        vloop.simulate_blocking(COST_OF_ONE_SUM)  # sum(range(100000))
        if i % yield_every == 0:
            await asyncio.sleep(0)
    say(f"{name}: CPU work completed")


async def io_bound_task(name, delay):
    say(f"{name}: Starting I/O work")
    await asyncio.sleep(delay)
    say(f"{name}: I/O work completed (due at t={delay + 0.002:.3f})")


async def mixed_workload(yield_every):
    tasks = [
        asyncio.create_task(cpu_bound_task("CPU-1", 1000000, yield_every)),
        asyncio.create_task(io_bound_task("IO-1", 2)),
        asyncio.create_task(io_bound_task("IO-2", 1)),
        asyncio.create_task(cpu_bound_task("CPU-2", 500000, yield_every)),
    ]
    await asyncio.gather(*tasks)


print("the seed: yield when i % 100000 == 0")
vloop.run(mixed_workload(100000))
print("the fix: yield when i % 25 == 0 (every 50 ms of work)")
vloop.run(mixed_workload(25))
