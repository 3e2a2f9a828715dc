"""Seed 001's lock example without the lock: every task reads the list, awaits, then appends what it
read plus one. On one thread the order is deterministic: all five read the empty list before any
writes, so the result is [1, 1, 1, 1, 1] every time, not "likely".

Book: asyncio_texts_get_wrong.md ("would likely be [1, 1, 1, 1, 1]"), lock.md.
Verdict: RIGHT (the book: certain, not likely), 3.10-3.13.
CPython: Lib/asyncio/base_events.py: _run_once (FIFO ready queue, one thread).
"""
import asyncio


async def modify(shared, lock=None):
    if lock:
        await lock.acquire()
    current = shared[-1] if shared else 0
    await asyncio.sleep(0.01)
    shared.append(current + 1)
    if lock:
        lock.release()


async def main():
    for use_lock in (False, True):
        shared = []
        lock = asyncio.Lock() if use_lock else None
        await asyncio.gather(*(modify(shared, lock) for _ in range(5)))
        print("with lock:" if use_lock else "without lock:", shared)


for _ in range(3):
    asyncio.run(main())
