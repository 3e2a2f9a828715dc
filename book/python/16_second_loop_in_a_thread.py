"""A second event loop is legal in another thread; what is refused is asyncio.run on a thread
whose loop is running: "asyncio.run() cannot be called from a running event loop".

Book: asyncio_texts_get_wrong.md ("Run long tasks in a separate event loop"),
tasks_and_join_handles.md ("When main returns").
Verdict: RIGHT (the message); IMPRECISE (a second loop in another thread is fine), 3.10-3.13.
CPython: Lib/asyncio/runners.py: run (events._get_running_loop() is not None -> RuntimeError);
Lib/asyncio/events.py: _get_running_loop (per thread).
"""
import asyncio
import threading


async def answer():
    await asyncio.sleep(0.01)
    return 42


async def main():
    coro = answer()
    try:
        asyncio.run(coro)
    except RuntimeError as e:
        coro.close()
        print("same thread:", e)
    result = []
    thread = threading.Thread(target=lambda: result.append(asyncio.run(answer())))
    thread.start()
    await asyncio.to_thread(thread.join)
    print("another thread: asyncio.run ->", result[0])


asyncio.run(main())
