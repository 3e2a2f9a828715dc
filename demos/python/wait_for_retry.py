"""Twin of `wait_for_retry`: seed 004 Example 24.3 (asyncio.wait_for, timeout and retry).

Changed as the Rust demo changed the seed: each attempt has a fixed delay instead of
`random.uniform(0.1, 2.0)`: A answers at once (0.3 s); B times out once, then succeeds
(0.8 s, then 0.4 s); C times out three times (1.2 s, 0.9 s, 0.7 s).
"""

import asyncio

from vloop import run, say


async def unreliable_api(api_id, delay):
    say(f"API {api_id}: will respond in {delay:.2f}s")
    await asyncio.sleep(delay)
    return f"API {api_id} response"


async def call_with_timeout(api_id, timeout, delays):
    max_retries = len(delays)
    for attempt, delay in enumerate(delays, start=1):
        try:
            result = await asyncio.wait_for(unreliable_api(api_id, delay), timeout)
            say(f"API {api_id} succeeded on attempt {attempt}")
            return result
        except asyncio.TimeoutError:
            say(f"API {api_id} attempt {attempt} timed out")
    return f"API {api_id} failed after {max_retries} attempts"


async def main():
    timeout = 0.5
    results = await asyncio.gather(
        call_with_timeout("A", timeout, [0.3, 1.0, 1.0]),
        call_with_timeout("B", timeout, [0.8, 0.4, 1.0]),
        call_with_timeout("C", timeout, [1.2, 0.9, 0.7]),
    )
    for result in results:
        say(result)


run(main())
