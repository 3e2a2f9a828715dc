"""Twin of `sentinel_reput`: seed 004 Example 24.4 (producer-consumer, re-put sentinel).

Changed as the Rust demo changed the seed: `random.randint(1, 100)` becomes the fixed
`(item_id * 37) % 100 + 1`; the producer notes when a `put` had to wait and the largest
`qsize()` it saw; part 2 slows the consumers to 0.4 s per item.
"""

import asyncio

from vloop import now, run, say


class Pressure:
    largest_qsize = 0
    puts_that_waited = 0


async def data_producer(queue, num_items, every, seen):
    for item_id in range(num_items):
        item = {"id": item_id, "value": (item_id * 37) % 100 + 1}
        before = now()
        await queue.put(item)
        if now() > before:
            seen.puts_that_waited += 1
            say(f"Produced: {item} (waited {now() - before:.2f} s for room)")
        else:
            say(f"Produced: {item}")
        seen.largest_qsize = max(seen.largest_qsize, queue.qsize())
        await asyncio.sleep(every)
    await queue.put(None)  # the sentinel


async def data_consumer(consumer_id, queue, per_item, results):
    while True:
        item = await queue.get()
        if item is None:
            await queue.put(None)  # re-put for the other consumer
            break
        processed = item["value"] * 3
        results.append((item["id"], processed))
        say(f"Consumer {consumer_id}: processed item {item['id']} → {processed}")
        await asyncio.sleep(per_item)


async def main(produce_every, consume_each):
    queue = asyncio.Queue(maxsize=5)  # the backpressure valve
    results = []
    seen = Pressure()
    await asyncio.gather(
        data_producer(queue, 10, produce_every, seen),
        data_consumer(1, queue, consume_each, results),
        data_consumer(2, queue, consume_each, results),
    )
    say(f"Total processed: {len(results)}")
    say(f"Largest queue size seen by the producer: {seen.largest_qsize} of maxsize 5; "
        f"puts that had to wait: {seen.puts_that_waited}")


async def seeds_rates():
    say("=== The seed's rates: one item per 0.05 s, two consumers at 0.08 s each ===")
    await main(0.05, 0.08)


async def slower_consumers():
    say("=== Slower consumers: 0.4 s each, 5 items a second for both ===")
    await main(0.05, 0.4)


run(seeds_rates())
run(slower_consumers())
