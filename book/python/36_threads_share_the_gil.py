"""Seed 002's "True Parallelism with ThreadPoolExecutor": on CPython (with the GIL, the default
build of every version checked) two threads computing pure-Python arithmetic never keep more than
one core busy, so the pool is no faster than running the two jobs one after the other. Measured as
the process's CPU time divided by the wall time of the pool's run: two cores busy would make it
near 2; it stays near 1 (and lower on a loaded machine).

Book: asyncio_texts_get_wrong.md ("Threads give true parallelism"), threads.md
("Concurrency is not parallelism").
Verdict: RIGHT on 3.10-3.13 (GIL builds; free-threaded 3.13t builds differ, as the book says).
CPython: Python/ceval_gil.c (one thread runs bytecode at a time).
"""
import concurrent.futures
import sys
import time


def cpu_intensive_sync(n):
    result = 0
    for i in range(n):
        result += i * i
    return result


gil = getattr(sys, "_is_gil_enabled", lambda: True)()
print("the GIL is enabled:", gil)
wall, cpu = time.perf_counter(), time.process_time()
with concurrent.futures.ThreadPoolExecutor(max_workers=2) as executor:
    futures = [executor.submit(cpu_intensive_sync, 2_000_000) for _ in range(2)]
    results = [f.result() for f in futures]
cores = (time.process_time() - cpu) / (time.perf_counter() - wall)
print("cores busy during the pool's run, at most 1.3:", cores <= 1.3)
