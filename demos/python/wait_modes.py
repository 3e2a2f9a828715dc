"""Twin of `wait_modes`: `asyncio.wait` with ALL_COMPLETED and FIRST_EXCEPTION, the two
modes "Lecture 24: High-Level Concurrency APIs" names beside Example 24.2's FIRST_COMPLETED.

Changed as the Rust demo changed the text: Example 24.2's three regions with fixed delays
(us-east 0.2 s, eu-west 0.3 s, ap-south 0.4 s), eu-west raising `ConnectionResetError`; the
`done` set is printed in argument order, as the Rust demo prints it.
"""

import asyncio

from vloop import run, say


async def query_region(region, delay, fails):
    say(f"{region}: query sent")
    await asyncio.sleep(delay)
    if fails:
        say(f"{region}: connection reset")
        raise ConnectionResetError(f"{region}: connection reset by peer")
    return f"Response from {region} in {delay:.2f}s"


def queries():
    return [
        asyncio.create_task(query_region(region, delay, fails), name=region)
        for region, delay, fails in [
            ("us-east", 0.2, False),
            ("eu-west", 0.3, True),
            ("ap-south", 0.4, False),
        ]
    ]


def report(tasks, done):
    for task in tasks:  # done is a set: print it in argument order
        if task not in done:
            continue
        if task.exception() is None:
            say(f"  done: {task.get_name()}: {task.result()}")
        else:
            say(f"  done: {task.get_name()}: failed: {task.exception()!r}")


async def all_completed():
    tasks = queries()
    done, pending = await asyncio.wait(tasks, return_when=asyncio.ALL_COMPLETED)
    say(f"ALL_COMPLETED: {len(done)} done, {len(pending)} pending")
    report(tasks, done)


async def first_exception():
    tasks = queries()
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    say(f"FIRST_EXCEPTION: {len(done)} done, {len(pending)} pending")
    report(tasks, done)
    for task in pending:
        say(f"  cancelling {task.get_name()}")
        task.cancel()  # wait cancels nothing: the caller does
    await asyncio.gather(*pending, return_exceptions=True)


print("--- return_when = ALL_COMPLETED ---")
run(all_completed())
print("--- return_when = FIRST_EXCEPTION ---")
run(first_exception())
