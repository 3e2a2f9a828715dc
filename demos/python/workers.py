"""Twin of `workers`: seed 002 'Understanding Coroutines' (`demonstrate_coroutines`).

Changed as the Rust demo changed the seed: lines start with the loop time; the list of
results is printed with double quotes, as Rust's `{:?}` prints it.
"""

import asyncio

from vloop import run, say


async def simple_coroutine(name, delay):
    say(f"{name}: Starting work")
    await asyncio.sleep(delay)  # simulates an I/O operation
    say(f"{name}: Work completed after {delay} seconds")
    return f"{name} finished"


async def main():
    say("=== Starting multiple coroutines ===")
    task1 = asyncio.create_task(simple_coroutine("Worker-1", 3))
    task2 = asyncio.create_task(simple_coroutine("Worker-2", 1))
    task3 = asyncio.create_task(simple_coroutine("Worker-3", 2))
    results = await asyncio.gather(task1, task2, task3)
    say("All workers finished: [" + ", ".join(f'"{r}"' for r in results) + "]")


run(main())
