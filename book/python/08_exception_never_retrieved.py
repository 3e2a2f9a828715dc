"""A task that fails and whose exception nobody retrieves is reported when the task is destroyed:
"Task exception was never retrieved", through the loop's exception handler, in normal mode (debug
mode only adds where the task was created).

Book: tasks_and_join_handles.md ("as asyncio logs 'Task exception was never retrieved'").
Verdict: RIGHT on 3.10-3.13.
CPython: Lib/asyncio/futures.py: Future.__del__ (if not self.__log_traceback: return; then
call_exception_handler 'exception was never retrieved', prefixed with the class name).
"""
import asyncio
import gc


async def fails():
    raise ValueError("boom")


async def main():
    loop = asyncio.get_running_loop()
    print("debug mode:", loop.get_debug())
    loop.set_exception_handler(
        lambda loop, context: print(f"{context['message']}: {context['exception']!r}")
    )
    asyncio.create_task(fails())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    gc.collect()


asyncio.run(main())
