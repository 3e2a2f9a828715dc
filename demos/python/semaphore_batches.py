"""Twin of `semaphore_batches`: seed 004 Example 24.1 (asyncio.Semaphore for rate limiting).

Changed as the Rust demo changed the seed: times are the loop's clock (`say`), not
`time.perf_counter()`; the results list is printed with double quotes, as Rust's `{:?}`.
"""

import asyncio

from vloop import now, run, say

MAX_CONCURRENT = 3


async def fetch_with_limit(semaphore, session_id, delay):
    async with semaphore:
        say(f"Session {session_id}: started")
        await asyncio.sleep(delay)
        say(f"Session {session_id}: done")
        return f"result_{session_id}"


async def main():
    semaphore = asyncio.Semaphore(MAX_CONCURRENT)
    tasks = [fetch_with_limit(semaphore, session_id=i, delay=0.3) for i in range(9)]
    start = now()
    results = await asyncio.gather(*tasks)
    say(f"All done in {now() - start:.2f}s")
    say("Results: [" + ", ".join(f'"{r}"' for r in results) + "]")


run(main())
