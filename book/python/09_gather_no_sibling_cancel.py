"""asyncio.gather (return_exceptions=False) cancels no sibling when a child raises: it passes the
first exception to its awaiter and the other children run on. In seed 004 Example 24.3's shape,
though, the exception leaves main, and asyncio.run then cancels every task still pending, so
the siblings are cancelled after all, by asyncio.run.

Book: asyncio_texts_get_wrong.md ("Returning a failure string keeps gather from cancelling"),
waiting_for_many_things.md ("When one child fails").
Verdict: RIGHT about gather, IMPRECISE for the seed's program (asyncio.run cancels), 3.10-3.13.
CPython: Lib/asyncio/tasks.py: gather._done_callback (outer.set_exception, children untouched);
Lib/asyncio/runners.py: _cancel_all_tasks.
"""
import asyncio

log = []


async def child(name, delay, fail=False):
    try:
        await asyncio.sleep(delay)
        if fail:
            raise RuntimeError(f"{name} failed")
        log.append(f"{name} finished")
    except asyncio.CancelledError:
        log.append(f"{name} cancelled")
        raise


async def main_that_survives():
    a = asyncio.create_task(child("a", 0.3))
    c = asyncio.create_task(child("c", 0.2))
    try:
        await asyncio.gather(a, child("b", 0, fail=True), c)
    except RuntimeError as e:
        log.append(f"gather raised: {e}")
    await asyncio.wait([a, c])  # main goes on: the siblings were not cancelled


async def main_like_example_24_3():
    await asyncio.gather(child("a", 0.3), child("b", 0, fail=True), child("c", 0.2))


asyncio.run(main_that_survives())
print("main catches and goes on:", log)
log.clear()
try:
    asyncio.run(main_like_example_24_3())
except RuntimeError as e:
    log.append(f"asyncio.run raised: {e}")
print("exception leaves main:   ", sorted(log))  # asyncio.run cancels in set order
