"""Twin of `countasync_timeout`: seed 003 `countasync_with_timeout.py` (asyncio.timeout).

Changed as the Rust demo changed the seed: the elapsed time is the loop's clock. The seed
needs `asyncio.timeout`, new in Python 3.11; on 3.10 this twin says so and stops.
"""

import asyncio
import sys

from vloop import now, run


async def count():
    print("One")
    await asyncio.sleep(2)
    print("Two")


async def main():
    start = now()
    try:
        async with asyncio.timeout(1):
            await asyncio.gather(count(), count(), count())
        print("The long operation finished.")
    except TimeoutError:
        print("The long operation timed out!")
    print("This statement always runs.")
    return now() - start


if not hasattr(asyncio, "timeout"):
    print(f"asyncio.timeout is new in Python 3.11; this is {sys.version.split()[0]}")
    sys.exit(0)
elapsed = run(main())
print(f"countasync_with_timeout executed in {elapsed:.2f} seconds.")
