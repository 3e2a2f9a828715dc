"""Seed 000's producer-consumer puts one None for three consumers: the consumer that takes it stops,
the other two wait in get() for ever, and gather(*consumers) would never return (shown with
asyncio.wait and a timeout). Python 3.13's Queue.shutdown() ends every waiting get() with QueueShutDown.

Book: asyncio_texts_get_wrong.md ("One None sentinel for three consumers"), queue.md.
Verdict: RIGHT; Queue.shutdown is VERSION-DEPENDENT (3.13+).
CPython: Lib/asyncio/queues.py: Queue.get, Queue.shutdown (3.13).
"""
import asyncio


async def consumer(queue, stopped, consumer_id):
    while True:
        item = await queue.get()
        queue.task_done()
        if item is None:
            stopped.append(consumer_id)
            return


async def main():
    queue = asyncio.Queue(maxsize=3)
    stopped = []
    consumers = [asyncio.create_task(consumer(queue, stopped, i)) for i in range(3)]
    for item in ["Item 0", "Item 1", None]:
        await queue.put(item)
    done, pending = await asyncio.wait(consumers, timeout=0.05)
    print(f"one None: {len(done)} consumer stopped, {len(pending)} still blocked in get()")
    if not hasattr(queue, "shutdown"):
        print("Queue.shutdown: not in this version (3.13+)")
        for task in consumers:
            task.cancel()
        await asyncio.gather(*consumers, return_exceptions=True)
        return
    queue.shutdown()
    results = await asyncio.gather(*consumers, return_exceptions=True)
    print("after queue.shutdown():", sorted(type(r).__name__ for r in results))


asyncio.run(main())
