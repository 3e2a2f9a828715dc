"""Seed 000's queue scraper fails with NameError because url_producer is a module-level function
and CONSUMER_COUNT is a local variable of main: a function sees another function's locals
never, whatever the order of assignment. Assigning it first changes nothing; passing it in (or
making it global) fixes it.

Book: asyncio_texts_get_wrong.md and semaphore_or_queue.md (said the cause is that it is
"assigned after the producer task is created").
Verdict: IMPRECISE: a scoping error, not an ordering one, on 3.10-3.13.
CPython: Python's scoping rules (LEGB); no asyncio code involved.
"""
import asyncio


async def url_producer(queue, urls):
    for url in urls:
        await queue.put(url)
    for _ in range(CONSUMER_COUNT):  # noqa: F821 - the seed's bug
        await queue.put(None)


async def main(assign_first):
    queue = asyncio.Queue()
    if assign_first:
        CONSUMER_COUNT = 3  # noqa: F841 - a local of main, as in the seed
        producer = asyncio.create_task(url_producer(queue, ["a", "b"]))
    else:
        producer = asyncio.create_task(url_producer(queue, ["a", "b"]))
        CONSUMER_COUNT = 3  # noqa: F841
    try:
        await producer
    except NameError as e:
        return f"NameError: {e}"
    return "ok"


print("assigned after create_task: ", asyncio.run(main(assign_first=False)))
print("assigned before create_task:", asyncio.run(main(assign_first=True)))
