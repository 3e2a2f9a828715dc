"""How many iterations of asyncio's loop a wake-up costs. `await asyncio.sleep(0)` is one: the task
is put straight back in the ready queue. A wake-up through a future (asyncio.sleep(d) with d > 0,
an Event, a Queue) is two once the cause is there: one iteration runs the callback that resolves
the future (for a timer: futures._set_result_unless_cancelled), whose done-callback (the task's
__wakeup) is scheduled with call_soon, and the next iteration runs the task. So step numbers
agree between asyncio and a loop that polls the woken task at once only for call_soon-style
wake-ups.

Book: watching_the_loop.md / one_step_of_the_loop.md (step numbers compared with asyncio).
Verdict: RIGHT as stated here, 3.10-3.13.
CPython: Lib/asyncio/tasks.py: sleep (sleep(0) -> __sleep0, a bare yield; else call_later +
_set_result_unless_cancelled), Task.__step / __wakeup; Lib/asyncio/futures.py:
Future.__schedule_callbacks.
"""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    iterations = 0
    run_once = loop._run_once

    def counting_run_once():
        nonlocal iterations
        iterations += 1
        run_once()

    loop._run_once = counting_run_once

    async def count(awaitable):
        before = iterations
        await awaitable
        return iterations - before

    print("sleep(0):", await count(asyncio.sleep(0)))
    event = asyncio.Event()
    loop.call_soon(event.set)
    print("Event set by a callback already in the ready queue:", await count(event.wait()))
    print("sleep(0.01): at least 2:", await count(asyncio.sleep(0.01)) >= 2)


asyncio.run(main())
