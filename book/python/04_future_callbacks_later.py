"""An asyncio Future ("the empty box"): set_result settles it once (a second set_result raises
InvalidStateError); done callbacks are scheduled with call_soon, so they run in a later loop
iteration, never inside set_result; every awaiter gets the very same result object.

Book: coroutines_tasks_futures.md ("asyncio's Future is tinyloop's Promise").
Verdict: RIGHT on 3.10-3.13.
CPython: Lib/asyncio/futures.py: Future.set_result, Future.__schedule_callbacks
(self._loop.call_soon(callback, self, context=ctx)).
"""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    log = []
    fut.add_done_callback(lambda f: log.append(f"callback saw {f.result()!r}"))

    async def reader():
        return await fut

    readers = [asyncio.create_task(reader()) for _ in range(2)]
    await asyncio.sleep(0)
    value = ["hello"]
    fut.set_result(value)
    print("right after set_result, callbacks run:", log)
    try:
        fut.set_result(["again"])
    except asyncio.InvalidStateError as e:
        print("second set_result: InvalidStateError:", e)
    await asyncio.sleep(0)
    print("one loop turn later:", log)
    results = await asyncio.gather(*readers)
    print("every awaiter got the same object:", all(r is value for r in results))


asyncio.run(main())
