""""Task was destroyed but it is pending!" is logged whenever a pending task is garbage-collected,
also under plain asyncio.run: the loop keeps only weak references to tasks. What asyncio.run does
*not* produce is that message for tasks still referenced when main returns: it cancels them,
runs them to the end of their cleanup, and only then closes the loop.

Book: asyncio_texts_get_wrong.md (said the warning "comes from loops closed by hand"),
tasks_and_join_handles.md (said a collected task "silently never finishes").
Verdict: WRONG as the book said it, on 3.10-3.13. The "asyncio.run cancels leftovers" half is RIGHT.
CPython: Lib/asyncio/tasks.py: Task.__del__ (call_exception_handler 'Task was destroyed but it
is pending!'); Lib/asyncio/tasks.py: _all_tasks / _scheduled_tasks (a WeakSet);
Lib/asyncio/runners.py: _cancel_all_tasks.
"""
import asyncio
import gc

messages = []


async def wait_forever():
    await asyncio.get_running_loop().create_future()  # nobody else holds this future


async def leftover():
    try:
        await asyncio.sleep(10)
    finally:
        messages.append("leftover task: cleanup ran (cancelled by asyncio.run)")


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: messages.append(context["message"]))
    asyncio.create_task(wait_forever())  # reference dropped at once
    await asyncio.sleep(0)  # it starts and parks on its future
    gc.collect()
    messages.append("main: after gc.collect()")
    global kept
    kept = asyncio.create_task(leftover())
    await asyncio.sleep(0)
    messages.append("main: returning with one task still pending")


kept = None
asyncio.run(main())
for m in messages:
    print(m)
