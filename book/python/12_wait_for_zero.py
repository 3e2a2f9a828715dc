"""asyncio.wait_for(coro, 0) never runs the coroutine's body: it wraps it in a task and cancels it
before the task's first step, on every version. `async with asyncio.timeout(0)` (3.11+) runs
the body up to its first suspending await, then cancels it there.

Book: sleeping_without_blocking.md.
Verdict: RIGHT as stated here, 3.10-3.13 (timeout() exists from 3.11: VERSION-DEPENDENT output).
CPython: Lib/asyncio/tasks.py: wait_for (timeout <= 0: ensure_future, _cancel_and_wait, raise
TimeoutError); Lib/asyncio/timeouts.py: Timeout.__aenter__ / reschedule (3.11+).
"""
import asyncio


async def body(log):
    log.append("body started")
    await asyncio.sleep(0)
    log.append("body resumed")


async def main():
    log = []
    try:
        await asyncio.wait_for(body(log), 0)
    except asyncio.TimeoutError:
        log.append("TimeoutError")
    print("wait_for(coro, 0):     ", log)
    if not hasattr(asyncio, "timeout"):
        print("asyncio.timeout: not in this version (3.11+)")
        return
    log = []
    try:
        async with asyncio.timeout(0):
            await body(log)
    except TimeoutError:
        log.append("TimeoutError")
    print("async with timeout(0): ", log)


asyncio.run(main())
