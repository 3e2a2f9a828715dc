"""Twin of `countasync`: seed 003 `countasync.py`.

Changed as the Rust demo changed the seed: the elapsed time is the loop's clock
(`loop.time()`), not `time.perf_counter()`, so the virtual clock can print it exactly.
"""

import asyncio

from vloop import now, run


async def count():
    print("One")
    await asyncio.sleep(1)
    print("Two")


async def main():
    start = now()
    await asyncio.gather(count(), count(), count())
    return now() - start


elapsed = run(main())
print(f"countasync executed in {elapsed:.2f} seconds.")
