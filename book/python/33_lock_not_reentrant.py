"""asyncio.Lock is not reentrant: a task that acquires it twice waits for itself for ever (shown
under a timeout).

Book: lock.md ("It is not reentrant, like asyncio's").
Verdict: RIGHT on 3.10-3.13.
CPython: Lib/asyncio/locks.py: Lock.acquire (no owner is recorded).
"""
import asyncio


async def main():
    lock = asyncio.Lock()
    await lock.acquire()
    try:
        await asyncio.wait_for(lock.acquire(), 0.05)
        print("acquired twice")
    except asyncio.TimeoutError:
        print("second acquire by the same task: still waiting after 0.05 s (TimeoutError)")


asyncio.run(main())
