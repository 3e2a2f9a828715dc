"""A Task *is* a Future (class Task(Future)) that wraps a coroutine; asyncio.run runs main as a
task like any other; awaiting a task re-raises its exception, or CancelledError if it was
cancelled.

Book: coroutines_tasks_futures.md ("a task does not contain a future: it *is* one"),
one_step_of_the_loop.md ("main is a task like any other"), tasks_and_join_handles.md (the table
"the task... / asyncio: await task").
Verdict: RIGHT on 3.10-3.13.
CPython: Lib/asyncio/tasks.py: class Task(futures._PyFuture); Lib/asyncio/runners.py:
Runner.run / run (loop.create_task(main) from 3.11, run_until_complete -> ensure_future in 3.10).
"""
import asyncio


async def fetch_data(url):
    await asyncio.sleep(0)
    return f"Data from {url}"


async def fails():
    raise ValueError("boom")


async def sleeps():
    await asyncio.sleep(10)


async def main():
    print("Task is a subclass of Future:", issubclass(asyncio.Task, asyncio.Future))
    print("main runs as a Task:", isinstance(asyncio.current_task(), asyncio.Task))
    coro = fetch_data("example.com")
    task = asyncio.create_task(coro)
    print("the task wraps the coroutine object:", task.get_coro() is coro)
    print("await task ->", await task)
    try:
        await asyncio.create_task(fails())
    except ValueError as e:
        print("await failed task -> raises ValueError:", e)
    sleeper = asyncio.create_task(sleeps())
    await asyncio.sleep(0)
    sleeper.cancel()
    try:
        await sleeper
    except asyncio.CancelledError:
        print("await cancelled task -> raises CancelledError")


asyncio.run(main())
