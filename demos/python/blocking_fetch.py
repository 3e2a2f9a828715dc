"""Twin of `blocking_fetch`: "Understanding AsyncIO in Python: From First Principles",
`fetch_data_sync` (requests) beside `fetch_data_async` (aiohttp).

Changed as the Rust demo changed the text: no network. `requests.get` of httpbin's
`/delay/2` is `simulate_blocking(2)` (the loop's thread is stuck for 2 s: `time.sleep` on the
real clock), `session.get` is `await asyncio.sleep(2)`; the sync version is called from a
coroutine, beside a heartbeat task that ticks every 0.3 s, to show what blocking costs the
other tasks.
"""

import asyncio

from vloop import now, run, say, simulate_blocking


def requests_get(url):
    simulate_blocking(2)  # the server's delay; nothing else runs
    return {"url": url}


async def session_get(url):
    await asyncio.sleep(2)  # the server's delay; the loop is free
    return {"url": url}


async def fetch_data_sync():
    say("Starting first request...")
    response1 = requests_get("https://httpbin.org/delay/2")  # waits 2 seconds
    say("First request completed")
    say("Starting second request...")
    response2 = requests_get("https://httpbin.org/delay/2")  # waits another 2 seconds
    say("Second request completed")
    return [response1, response2]


async def fetch_data_async():
    say("Starting both requests...")
    task1 = asyncio.create_task(session_get("https://httpbin.org/delay/2"))
    task2 = asyncio.create_task(session_get("https://httpbin.org/delay/2"))
    say("Both requests initiated, now waiting for completion...")
    response1, response2 = await asyncio.gather(task1, task2)
    return [response1, response2]


async def heartbeat(ticks):
    while True:
        await asyncio.sleep(0.3)
        ticks[0] += 1
        say(f"  heartbeat {ticks[0]}")


async def timed(fetch):
    ticks = [0]
    beat = asyncio.create_task(heartbeat(ticks))
    await asyncio.sleep(0)  # let the heartbeat start: it now sleeps until t=0.30
    start = now()
    results = await fetch
    say(
        f"Total time: {now() - start:.2f} seconds for {len(results)} responses; "
        f"the heartbeat ticked {ticks[0]} times meanwhile"
    )
    beat.cancel()


print("--- fetch_data_sync: requests.get blocks ---")
run(timed(fetch_data_sync()))
print("--- fetch_data_async: both requests in flight ---")
run(timed(fetch_data_async()))
