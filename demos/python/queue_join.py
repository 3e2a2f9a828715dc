"""Twin of `queue_join`: seed 003 `async_queue.py` (producers, consumers, join, cancel).

Changed as the Rust demo changed the seed: `random.randint` becomes the same fixed
pseudo-random sequence the Rust demo uses (a 64-bit linear congruential generator seeded
with 2024), so both print the same sleeps; the time an item waited is loop time.
"""

import asyncio

from vloop import now, run, say

_seed = 2024


def randint(maximum):
    """The next number in 0..=maximum of the fixed sequence (for `random.randint`)."""
    global _seed
    _seed = (_seed * 6364136223846793005 + 1442695040888963407) % 2**64
    return (_seed >> 33) % (maximum + 1)


async def randsleep(caller):
    seconds = randint(5)
    say(f"{caller} sleeping for {seconds} seconds.")
    await asyncio.sleep(seconds)


async def produce(name, queue):
    n = 1 + randint(2)  # how many items this producer makes
    for i in range(n):
        await randsleep(f"Producer {name}")
        await queue.put((name, i, now()))


async def consume(name, queue):
    while True:
        await randsleep(f"Consumer {name}")
        producer, i, put_at = await queue.get()
        waited = now() - put_at
        say(f"Consumer {name} got item {i} of producer {producer} in {waited:.2f} seconds.")
        queue.task_done()


async def main():
    start = now()
    queue = asyncio.Queue()
    producers = [asyncio.create_task(produce(n, queue)) for n in range(5)]
    consumers = [asyncio.create_task(consume(n, queue)) for n in range(10)]
    await asyncio.gather(*producers)
    await queue.join()  # every item put has been task_done()'d
    for consumer in consumers:
        consumer.cancel()  # they wait in get() forever otherwise
    await asyncio.gather(*consumers, return_exceptions=True)
    say("All items processed; consumers cancelled.")
    say(f"async_queue executed in {now() - start:.2f} seconds.")


run(main())
