"""Twin of `limited_workers`: seed 001 'asyncio.Semaphore' (ten limited_workers).

Changed as the Rust demo changed the seed: lines start with the loop time; a last line
after all ten are done.
"""

import asyncio

from vloop import run, say


async def limited_worker(semaphore, id):
    # Only a certain number of workers can be inside this block at the same time.
    async with semaphore:
        say(f"Worker {id} has acquired the semaphore.")
        await asyncio.sleep(2)  # simulate work
        say(f"Worker {id} is releasing the semaphore.")


async def main():
    semaphore = asyncio.Semaphore(3)
    tasks = [limited_worker(semaphore, i) for i in range(10)]
    await asyncio.gather(*tasks)
    say("All ten workers are done: four rounds of at most three.")


run(main())
