"""A Semaphore caps how many requests are *in flight*, not how many start per second: with
Semaphore(3) and fast requests, three start at the same moment and the next three as soon as
those end. A rate limiter spaces the starts (here: one start per 0.05 s at most).

Book: semaphore.md, semaphore_or_queue.md, crawler.md (the texts call a Semaphore a "rate limiter").
Verdict: the seeds' word is WRONG, 3.10-3.13.
CPython: Lib/asyncio/locks.py: Semaphore (a counter of permits; no clock anywhere).
"""
import asyncio
import time


class Stats:
    def __init__(self):
        self.starts, self.in_flight, self.peak = [], 0, 0

    async def request(self):
        self.starts.append(time.perf_counter())
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        await asyncio.sleep(0.01)
        self.in_flight -= 1

    def report(self, name):
        gaps = [b - a for a, b in zip(self.starts, self.starts[1:])]
        together = sum(1 for g in gaps if g < 0.005)
        print(f"{name}: starts within 5 ms of the previous one: {together} of {len(gaps)}")


async def main():
    stats, sem = Stats(), asyncio.Semaphore(3)

    async def with_semaphore():
        async with sem:
            await stats.request()

    await asyncio.gather(*(with_semaphore() for _ in range(9)))
    stats.report("Semaphore(3)")
    print("Semaphore(3): peak in flight:", stats.peak)

    stats, next_start = Stats(), time.perf_counter()

    async def rate_limited(interval=0.05):
        nonlocal next_start
        now = time.perf_counter()
        slot, next_start = max(now, next_start), max(now, next_start) + interval
        await asyncio.sleep(slot - now)
        await stats.request()

    await asyncio.gather(*(rate_limited() for _ in range(9)))
    stats.report("rate limiter, one start per 0.05 s")


asyncio.run(main())
