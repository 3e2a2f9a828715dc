"""Twin of `semaphore_per_task`: "Week 11, Day 4: Concurrency Patterns", "Common Mistakes:
Creating a new semaphore for each task".

Changed as the Rust demo changed the text: six one-second fetches, meant to run two at a
time, once with one shared `Semaphore(2)` and once with a `Semaphore(2)` created in each task;
each fetch counts how many are in flight, and the peak is printed.
"""

import asyncio

from vloop import run, say


class InFlight:
    def __init__(self):
        self.now = 0
        self.peak = 0


async def fetch(url, in_flight):
    in_flight.now += 1
    in_flight.peak = max(in_flight.peak, in_flight.now)
    say(f"fetching url_{url} ({in_flight.now} in flight)")
    await asyncio.sleep(1)
    in_flight.now -= 1


async def shared_semaphore(in_flight):
    semaphore = asyncio.Semaphore(2)  # created once, given to every task

    async def task(url):
        async with semaphore:
            await fetch(url, in_flight)

    await asyncio.gather(*(asyncio.create_task(task(url)) for url in range(6)))


async def semaphore_per_task(in_flight):
    async def task(url):
        semaphore = asyncio.Semaphore(2)  # a new semaphore in every task
        async with semaphore:  # never waits: nobody else uses it
            await fetch(url, in_flight)

    await asyncio.gather(*(asyncio.create_task(task(url)) for url in range(6)))


print("--- one Semaphore(2), shared by every task ---")
in_flight = InFlight()
run(shared_semaphore(in_flight))
print(f"at most {in_flight.peak} in flight")
print("--- a new Semaphore(2) inside each task ---")
in_flight = InFlight()
run(semaphore_per_task(in_flight))
print(f"at most {in_flight.peak} in flight")
