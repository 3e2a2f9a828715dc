"""TimerHandle.cancel() does not take the handle out of asyncio's heap: it marks it, and the loop
throws it away when it reaches the top, or rebuilds the heap when more than half of more than
100 scheduled handles are cancelled.

Book: timer_wheel.md (the opening section, on asyncio's heap).
Verdict: RIGHT on 3.10-3.13.
CPython: Lib/asyncio/events.py: TimerHandle.cancel (loop._timer_handle_cancelled);
Lib/asyncio/base_events.py: BaseEventLoop._run_once (_MIN_SCHEDULED_TIMER_HANDLES = 100,
_MIN_CANCELLED_TIMER_HANDLES_FRACTION = 0.5).
"""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    handles = [loop.call_later(100 + i, print) for i in range(10)]
    handles[5].cancel()
    await asyncio.sleep(0)
    print("10 timers, 1 cancelled: handles in the heap:", len(loop._scheduled))
    handles += [loop.call_later(200 + i, print) for i in range(100)]
    for handle in handles[10:70]:
        handle.cancel()
    await asyncio.sleep(0)
    print("110 timers, 61 cancelled: handles in the heap:", len(loop._scheduled))
    for handle in handles:
        handle.cancel()


asyncio.run(main())
