"""Twin of `threads_vs_loop`: seed 002 'Concurrency vs Parallelism'.

Changed as the Rust demo changed the seed: two CPU-bound jobs run as two tasks, then with
`asyncio.to_thread`; a job is far smaller than the Rust demo's (CPython is slower, and on
the virtual clock CPU work takes no loop time); `True` is printed as Rust prints it. With
`--real` the timings show the GIL: the threads gain nothing for pure-Python arithmetic.
"""

import asyncio
import os
import time

from vloop import REAL, run, say

N = 200_000  # iterations per job


def cpu_intensive_sync(n):
    result = 0
    for i in range(n):
        result = (result + i * i) % 2**64
    return result


async def cpu_task(name, n):
    say(f"{name}: Starting")
    result = cpu_intensive_sync(n)  # never awaits: holds the loop's thread
    say(f"{name}: Completed")
    return result


async def thread_task(name, n):
    say(f"{name}: Starting on a pool thread")
    return await asyncio.to_thread(cpu_intensive_sync, n)


async def on_the_loop():
    tasks = [asyncio.create_task(cpu_task("Task-1", N)), asyncio.create_task(cpu_task("Task-2", N))]
    return [await task for task in tasks]


async def on_threads():
    tasks = [asyncio.create_task(thread_task("Job-1", N)),
             asyncio.create_task(thread_task("Job-2", N))]
    results = []
    for name, task in zip(["Job-1", "Job-2"], tasks):
        results.append(await task)
        say(f"{name}: Completed")
    return results


print("=== Tasks on the loop (concurrency, one thread) ===")
started = time.perf_counter()
on_loop = run(on_the_loop())
loop_time = time.perf_counter() - started
print("\n=== to_thread (parallelism, a pool of threads) ===")
started = time.perf_counter()
threaded = run(on_threads())
thread_time = time.perf_counter() - started
print(f"\nboth ways computed the same sums: {str(on_loop == threaded).lower()}")
if not REAL:
    print("(virtual clock: CPU work takes no loop time, so compare the order of the lines; "
          "run with --real for wall-clock timings)")
else:
    print(f"tasks on the loop: {loop_time:.2f} s")
    print(f"to_thread:         {thread_time:.2f} s")
    print(f"speed-up: {loop_time / thread_time:.1f}x on {os.cpu_count()} cores")
