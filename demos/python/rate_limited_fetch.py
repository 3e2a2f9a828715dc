"""Twin of `rate_limited_fetch`: seed 001 'Quick Exercise' (rate_limited_fetch).

Changed as the Rust demo changed the seed: `fetch_url` is a one-second sleep that prints;
a last line shows how many results came back, and the first and last.
"""

import asyncio

from vloop import run, say


async def fetch_url(url):
    say(f"Fetching {url}...")
    await asyncio.sleep(1)
    say(f"...Done with {url}")
    return f"Data from {url}"


async def rate_limited_fetch(urls, max_concurrent):
    semaphore = asyncio.Semaphore(max_concurrent)  # one semaphore, shared by every fetch

    async def limited(url):
        async with semaphore:
            return await fetch_url(url)

    return await asyncio.gather(*(limited(url) for url in urls))


async def main():
    urls = [f"url_{i}" for i in range(10)]
    results = await rate_limited_fetch(urls, 3)
    say(f'{len(results)} results, first "{results[0]}", last "{results[9]}"')


run(main())
