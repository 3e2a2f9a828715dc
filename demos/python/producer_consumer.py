"""Twin of `producer_consumer`: seed 000 'asyncio.Queue' (maxsize 3, one producer, three
consumers, None sentinel).

Changed as the Rust demo changed the seed: part 1 puts one None per consumer; part 2 runs
the seed as written (one None for three consumers) and, instead of hanging in `gather`,
waits 10 s for the consumers (`asyncio.wait(..., timeout=10)`), then cancels them.
"""

import asyncio

from vloop import run, say, stamp


async def producer(queue, items, sentinels):
    for item in items:
        await queue.put(item)
        say(f"Produced: {item}")
        await asyncio.sleep(0.5)  # time between productions
    for _ in range(sentinels):
        await queue.put(None)  # signal the end


async def consumer(queue, consumer_id):
    while True:
        item = await queue.get()
        if item is None:
            queue.task_done()
            say(f"Consumer {consumer_id} got None: stopping")
            break
        say(f"Consumer {consumer_id} processing {item}")
        await asyncio.sleep(1)  # processing time
        queue.task_done()


def start(sentinels):
    items = [f"Item {i}" for i in range(10)]
    queue = asyncio.Queue(maxsize=3)  # limit queue size to 3
    producer_task = asyncio.create_task(producer(queue, items, sentinels))
    consumer_tasks = [asyncio.create_task(consumer(queue, i)) for i in range(3)]
    return producer_task, consumer_tasks


async def one_none_per_consumer():
    say("=== One None per consumer ===")
    producer_task, consumer_tasks = start(3)
    await producer_task
    await asyncio.gather(*consumer_tasks)
    say("All consumers finished.")


async def as_written():
    say("=== Asyncio Components as written: one None for three consumers ===")
    producer_task, consumer_tasks = start(1)
    await producer_task
    _, waiting = await asyncio.wait(consumer_tasks, timeout=10)
    if waiting:
        say(f"Still waiting after 10 s: {len(waiting)} consumers are blocked in get() for a "
            "None that will never come. asyncio's gather(*consumer_tasks) would hang forever.")
        for task in consumer_tasks:
            task.cancel()
    await asyncio.gather(*consumer_tasks, return_exceptions=True)
    say(f"Cancelled them; the program ends at {stamp()}.")


run(one_none_per_consumer())
run(as_written())
