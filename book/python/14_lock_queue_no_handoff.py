"""Unlike Semaphore, asyncio.Lock and asyncio.Queue do not hand over at release. Lock.release sets
_locked = False and wakes the first waiter, which takes the lock when it runs: in between,
locked() is False (a newcomer still queues behind the woken waiter, because acquire checks the
waiters). Queue.get frees a slot and wakes a waiting putter, but put_nowait by a newcomer takes
the slot first, and the woken putter waits again.

Book: lock.md, queue.md, bug_museum.md ("the gap between woken and running").
Verdict: RIGHT for Lock and Queue on 3.10-3.13.
CPython: Lib/asyncio/locks.py: Lock.release, Lock._wake_up_first, Lock.acquire;
Lib/asyncio/queues.py: Queue.get_nowait (_wakeup_next(self._putters)), Queue.put_nowait, Queue.put.
"""
import asyncio


async def main():
    lock = asyncio.Lock()
    order = []
    await lock.acquire()

    async def take(name):
        async with lock:
            order.append(name)

    waiter = asyncio.create_task(take("waiter"))
    await asyncio.sleep(0)
    lock.release()
    print("Lock, right after release: locked() =", lock.locked())
    await asyncio.gather(waiter, take("newcomer"))
    print("Lock order:", order)

    queue = asyncio.Queue(maxsize=1)
    queue.put_nowait("first")
    putter = asyncio.create_task(queue.put("from the waiting putter"))
    await asyncio.sleep(0)  # the putter waits: the queue is full
    queue.get_nowait()  # frees the slot and wakes the putter
    queue.put_nowait("from a newcomer")  # takes the slot before the putter runs
    await asyncio.sleep(0)
    print("Queue: woken putter still waiting:", not putter.done())
    print("Queue order:", queue.get_nowait(), "|", end=" ")
    await putter
    print(queue.get_nowait())


asyncio.run(main())
