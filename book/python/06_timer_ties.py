"""asyncio's timers live in a heap of TimerHandles ordered by deadline only: TimerHandle.__lt__
compares `_when`, with no insertion counter, and heapq does not keep equal items in insertion
order. Eight callbacks filed for the same deadline run out of order.

Book: timer_wheel.md (said asyncio's heap "compares (when, insertion)"), solutions.md.
Verdict: WRONG (as the book said it) on 3.10-3.13.
CPython: Lib/asyncio/events.py: TimerHandle.__lt__; Lib/asyncio/base_events.py:
BaseEventLoop.call_at (heapq.heappush) and _run_once (heapq.heappop).
"""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    when = loop.time() + 0.01
    handles = [loop.call_at(when, order.append, i) for i in range(8)]
    print("a < b for equal deadlines:", handles[0] < handles[1], handles[1] < handles[0])
    await asyncio.sleep(0.05)
    print("filed in order: [0, 1, 2, 3, 4, 5, 6, 7]")
    print("ran in order:  ", order)


order = []
asyncio.run(main())
