"""The event loop does wait idly: with nothing ready it blocks in the selector (epoll_wait on
Linux) until the next timer is due, using no CPU; it does not "continuously check".

Book: asyncio_texts_get_wrong.md ("It never waits idly", seed 002), one_step_of_the_loop.md.
Verdict: the seed is WRONG; the book is RIGHT, 3.10-3.13.
CPython: Lib/asyncio/base_events.py: _run_once (timeout from self._scheduled[0]._when;
event_list = self._selector.select(timeout)).
"""
import asyncio
import time


async def main():
    cpu = time.process_time()
    wall = time.perf_counter()
    await asyncio.sleep(0.3)
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    print("slept at least 0.3 s of wall time:", wall >= 0.3)
    print("used less than 0.03 s of CPU meanwhile:", cpu < 0.03)


asyncio.run(main())
