"""Twin of `first_completed`: seed 004 Example 24.2 (asyncio.wait with FIRST_COMPLETED).

Changed as the Rust demo changed the seed: fixed base delays instead of the seed's random
jitter (us-east 0.2 s, eu-west 0.3 s, ap-south 0.4 s); each query prints its cleanup when
it is cancelled.
"""

import asyncio

from vloop import run, say


async def query_region(region, delay):
    say(f"{region}: query sent")
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        say(f"{region}: cancelled, closing the connection")
        raise
    return f"Response from {region} in {delay:.2f}s"


async def main():
    regions = [
        asyncio.create_task(query_region("us-east", 0.2), name="us-east"),
        asyncio.create_task(query_region("eu-west", 0.3), name="eu-west"),
        asyncio.create_task(query_region("ap-south", 0.4), name="ap-south"),
    ]
    done, pending = await asyncio.wait(regions, return_when=asyncio.FIRST_COMPLETED)
    fastest = done.pop()
    say(f"Winner: {fastest.result()}")
    for task in pending:  # a set: its order is not the argument order
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    say(f"Cancelled {len(pending)} slower tasks")


run(main())
