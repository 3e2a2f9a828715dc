"""asyncio.gather wraps each coroutine in a Task of its own: the children run as tasks, whether or
not anyone awaits the gather (tinyloop's gather polls its futures inside the awaiting task
instead, on purpose).

Book: waiting_for_many_things.md ("A gathered future is not a task").
Verdict: RIGHT on 3.10-3.13.
CPython: Lib/asyncio/tasks.py: gather (ensure_future for each argument), _ensure_future.
"""
import asyncio


async def main():
    outer = asyncio.current_task()
    seen = []

    async def child(name):
        seen.append((name, asyncio.current_task() is not outer))
        await asyncio.sleep(0)

    pending = asyncio.gather(child("a"), child("b"))  # not awaited yet
    await asyncio.sleep(0)
    print("children ran before the gather was awaited, each in a task of its own:", seen)
    await pending


asyncio.run(main())
