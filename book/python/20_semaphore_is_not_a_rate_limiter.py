"""A Semaphore caps how many requests are *in flight*, not how many start per second: with
Semaphore(3) and requests of 10 ms, three start at the same instant and the next three the moment
those end, 300 a second. A rate limiter spaces the *starts* (here: one per 0.05 s), whatever the
requests' length.

Runs on asyncio's own loop with a virtual clock (demos/python/vloop.py, which the demos' Python
twins use), so the start times printed are exact and the same on every run.

Book: asyncio_texts_get_wrong.md ("A Semaphore is the primary tool for rate-limiting"),
semaphore.md, semaphore_or_queue.md, crawler.md (the texts call a Semaphore a "rate limiter").
Verdict: the seeds' word is WRONG, 3.10-3.13.
CPython: Lib/asyncio/locks.py: Semaphore (a counter of permits; no clock anywhere).
"""
import asyncio
import sys
from pathlib import Path

# asyncio's own loop on a virtual clock: the demos' twins use it too (demos/python/vloop.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "demos" / "python"))
import vloop  # noqa: E402


async def run_requests(gate, count=9):
    starts = []
    in_flight = peak = 0
    began = asyncio.get_running_loop().time()

    async def request():
        nonlocal in_flight, peak
        async with gate():
            starts.append(asyncio.get_running_loop().time() - began)
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.01)
            in_flight -= 1

    await asyncio.gather(*(request() for _ in range(count)))
    return " ".join(f"{t:.2f}" for t in starts), peak


class RateLimiter:
    """One start per `interval` seconds: each caller is given the next free slot in time."""

    def __init__(self, interval):
        self.interval = interval
        self.next_slot = float("-inf")

    def __call__(self):
        return self

    async def __aenter__(self):
        now = asyncio.get_running_loop().time()
        slot = max(now, self.next_slot)
        self.next_slot = slot + self.interval
        await asyncio.sleep(slot - now)

    async def __aexit__(self, *exc):
        return False


async def main():
    semaphore = asyncio.Semaphore(3)
    starts, peak = await run_requests(lambda: semaphore)
    print(f"Semaphore(3):       starts at {starts}; peak in flight {peak}")
    starts, peak = await run_requests(RateLimiter(0.05))
    print(f"1 start per 0.05 s: starts at {starts}; peak in flight {peak}")


vloop.run(main())
