"""Twin of `pipeline_2x2`: "Understanding AsyncIO in Python: From First Principles",
"Advanced AsyncIO Patterns: 1. Producer-Consumer Pattern" (two producers, two consumers).

Changed as the Rust demo changed the text: `random.uniform(0.5, 1.5)` and
`random.uniform(0.3, 0.8)` become hundredths of a second from a fixed pseudo-random sequence per
task (a 64-bit linear congruential generator seeded with the task's number), so both print
the same lines; `main` prints what each consumer returned.
"""

import asyncio

from vloop import run, say


class Rng:
    """A fixed pseudo-random sequence (stands in for `random.uniform`)."""

    def __init__(self, seed):
        self.state = seed

    def uniform_ms(self, low, high):
        """A multiple of 10 ms in low..=high, as seconds."""
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % 2**64
        return (low + 10 * ((self.state >> 33) % ((high - low) // 10 + 1))) / 1000


async def producer(queue, producer_id):
    rng = Rng(producer_id)
    for i in range(5):
        await asyncio.sleep(rng.uniform_ms(500, 1500))  # simulate work to produce an item
        item = f"item-{producer_id}-{i}"
        await queue.put(item)
        say(f"Producer {producer_id}: Produced {item}")
    await queue.put(None)  # signal completion: one None per producer
    say(f"Producer {producer_id}: Finished")


async def consumer(queue, consumer_id):
    rng = Rng(10 + consumer_id)
    processed_count = 0
    while True:
        item = await queue.get()
        if item is None:  # the first None ends this consumer, whichever producer sent it
            break
        await asyncio.sleep(rng.uniform_ms(300, 800))  # simulate processing the item
        say(f"Consumer {consumer_id}: Processed {item}")
        processed_count += 1
        queue.task_done()
    say(f"Consumer {consumer_id}: Processed {processed_count} items")
    return processed_count


async def main():
    queue = asyncio.Queue(maxsize=3)
    tasks = [
        asyncio.create_task(producer(queue, 1)),
        asyncio.create_task(producer(queue, 2)),
        asyncio.create_task(consumer(queue, 1)),
        asyncio.create_task(consumer(queue, 2)),
    ]
    results = await asyncio.gather(*tasks)
    say(f"Consumers processed {results[2]} and {results[3]} items: {sum(results[2:])} of 10")


run(main())
