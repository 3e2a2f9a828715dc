"""asyncio.Semaphore hands the permit over at release (gh-97545, 2022, backported): when a task
waits, release() gives the permit to the first waiter at once (_wake_up_next decrements _value
and resolves its future). Right after release, _value is 0 and locked() is True, and the
releaser's immediate re-acquire queues behind the waiter.

Book: semaphore.md ("Hand-off"), bug_museum.md (introduction), glossary.md ("Hand-off") say
asyncio's release only adds one to the counter and the waiter takes it later.
Verdict: WRONG (the book's claim) on 3.10.13, 3.11.7, 3.12.1, 3.13.0.
CPython: Lib/asyncio/locks.py: Semaphore.release, Semaphore._wake_up_next, Semaphore.locked.
"""
import asyncio


async def main():
    sem = asyncio.Semaphore(1)
    order = []
    await sem.acquire()

    async def waiter():
        async with sem:
            order.append("waiter")

    task = asyncio.create_task(waiter())
    await asyncio.sleep(0)  # the waiter is now queued in acquire()
    sem.release()
    print("right after release: _value =", sem._value, "locked() =", sem.locked())
    await sem.acquire()  # the releaser asks again at once
    order.append("releaser")
    sem.release()
    await task
    print("order:", order)


asyncio.run(main())
