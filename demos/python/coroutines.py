"""Twin of `coroutines`: seed 000 'Coroutine Functions vs. Coroutine Objects', seed 002
'The async Keyword'.

Changed as the Rust demo changed the seed: every line starts with the loop time (`say`);
the second coroutine object is dropped unawaited on purpose; the last lines say how each
language notices a forgotten `await` (Python at run time, on stderr, when the coroutine
object is garbage-collected).
"""

import asyncio

from vloop import run, say


async def fetch_data(url):
    say(f"fetch_data({url}): starting to fetch data")
    await asyncio.sleep(1)  # simulate network delay
    say(f"fetch_data({url}): data retrieved")
    return f"Data from {url}"


async def main():
    coro = fetch_data("example.com")  # a coroutine object: nothing printed yet
    say("main: called fetch_data(); its body has not run")
    data = await coro
    say(f'main: awaited it: "{data}"')

    never = fetch_data("never.example")
    del never  # never awaited: Python warns on stderr, the body never runs
    say("main: dropped a second future without awaiting it; it never ran")

    task = asyncio.create_task(fetch_data("task.example"))
    say("main: spawned a task; it starts when main next yields to the loop")
    data = await task
    say(f'main: the task returned "{data}"')


run(main())
print()
print("Forgetting the await is noticed only at run time in Python, on stderr:")
print("    RuntimeWarning: coroutine 'fetch_data' was never awaited")
