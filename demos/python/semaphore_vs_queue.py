"""Twin of `semaphore_vs_queue`: seed 000 'Semaphore vs. Queue' (web scraper with rate
limiting), both approaches timed side by side.

Changed as the Rust demo changed the seed: `session.get(url)` is a fixed 0.3 s sleep; the
consumer count is passed to the producer (the seed's `url_producer` reads `CONSUMER_COUNT`,
a local of `main`, and raises `NameError`); both approaches are timed by the loop's clock.
"""

import asyncio

from vloop import now, run, say

DELAY = 0.5
REQUEST = 0.3
CONSUMER_COUNT = 3


async def http_get(url):
    await asyncio.sleep(REQUEST)  # session.get(url) and response.text()
    return f"<html>{url}</html>"


async def fetch_with_semaphore(url, semaphore):
    async with semaphore:
        say(f"Fetching {url}")
        await asyncio.sleep(DELAY)  # rate-limiting delay
        return await http_get(url)


async def url_producer(queue, urls, consumers):
    for url in urls:
        await queue.put(url)
    for _ in range(consumers):
        await queue.put(None)  # one termination signal each


async def url_consumer(queue, consumer_id):
    while True:
        url = await queue.get()
        if url is None:
            queue.task_done()
            break
        say(f"Consumer {consumer_id} fetching {url}")
        await asyncio.sleep(DELAY)  # rate-limiting delay
        await http_get(url)
        say(f"Consumer {consumer_id} finished {url}")
        queue.task_done()


async def with_semaphore(urls):
    say("=== Using Semaphore ===")
    semaphore = asyncio.Semaphore(3)  # max 3 concurrent requests
    start = now()
    tasks = [asyncio.create_task(fetch_with_semaphore(url, semaphore)) for url in urls]
    await asyncio.gather(*tasks)
    took = now() - start
    say(f"Semaphore approach took {took:.2f} seconds")
    return took


async def with_queue(urls):
    say("=== Using Queue ===")
    queue = asyncio.Queue(maxsize=3)  # buffer up to 3 URLs
    start = now()
    producer_task = asyncio.create_task(url_producer(queue, urls, CONSUMER_COUNT))
    consumer_tasks = [asyncio.create_task(url_consumer(queue, i)) for i in range(CONSUMER_COUNT)]
    await producer_task
    await queue.join()  # until all queue items are processed
    await asyncio.gather(*consumer_tasks)
    took = now() - start
    say(f"Queue approach took {took:.2f} seconds")
    return took


urls = [f"https://example.com/page{i}" for i in range(10)]
semaphore_took = run(with_semaphore(urls))
queue_took = run(with_queue(urls))
print()
print("| approach  | 10 URLs, 3 at a time, 0.5 s delay + 0.3 s request |")
print("|-----------|----------------------------------------------------|")
print(f"| Semaphore | {semaphore_took:.2f} s                                             |")
print(f"| Queue     | {queue_took:.2f} s                                             |")
