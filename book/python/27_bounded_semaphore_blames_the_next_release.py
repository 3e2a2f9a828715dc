"""Semaphore.release() without an acquire() raises the limit; BoundedSemaphore refuses, with
"ValueError: BoundedSemaphore released too many times". It compares the counter with the bound,
so an extra release() while a permit is held succeeds, and the error comes from the next,
innocent release (the `async with` that exits).

Book: semaphore.md ("BoundedSemaphore and releasing by hand").
Verdict: RIGHT on 3.10-3.13.
CPython: Lib/asyncio/locks.py: Semaphore.release, BoundedSemaphore.release
(if self._value >= self._bound_value: raise ValueError(...)).
"""
import asyncio


async def main():
    sem = asyncio.Semaphore(1)
    sem.release()
    await sem.acquire()
    await sem.acquire()
    print("Semaphore(1) after an extra release: two acquires succeeded")

    bounded = asyncio.BoundedSemaphore(1)
    try:
        async with bounded:
            bounded.release()  # the wrong call: succeeds
            print("extra release while the permit is held: no error")
    except ValueError as e:  # raised by the async with's own release
        print("the async with's exit raised ValueError:", e)


asyncio.run(main())
