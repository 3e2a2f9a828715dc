"""Twin of `blocking_pitfall`: seed 002 'Common Pitfalls: Blocking the Event Loop'.

Changed as the Rust demo changed the seed: tasks A (0.3 s) and B (0.4 s) wait three ways,
`time.sleep` in the task, `await asyncio.sleep`, and `await asyncio.to_thread(time.sleep)`,
each on a fresh loop; wall-clock timings are printed with `--real`. On the virtual clock a
blocking call takes no loop time, so the lesson is in the order of the lines.
"""

import asyncio
import time

from vloop import REAL, run, say


async def blocks_the_loop(name, wait):
    say(f"{name}: starting, time.sleep({wait})")
    time.sleep(wait)  # every task waits with us
    say(f"{name}: done")


async def yields_to_the_loop(name, wait):
    say(f"{name}: starting, await asyncio.sleep({wait})")
    await asyncio.sleep(wait)  # the loop runs others meanwhile
    say(f"{name}: done")


async def blocks_a_pool_thread(name, wait):
    say(f"{name}: starting, await asyncio.to_thread(time.sleep, {wait})")
    await asyncio.to_thread(time.sleep, wait)
    say(f"{name}: done")


def race(task):
    started = time.perf_counter()

    async def main():
        a = asyncio.create_task(task("task A", 0.3), name="task A")
        b = asyncio.create_task(task("task B", 0.4), name="task B")
        await a
        await b

    run(main())
    return time.perf_counter() - started


print("--- 1. time.sleep inside a task (blocks the loop) ---")
blocking = race(blocks_the_loop)
print("--- 2. await asyncio.sleep() (gives the loop back) ---")
yielding = race(yields_to_the_loop)
print("--- 3. asyncio.to_thread(time.sleep) (blocks a pool thread, not the loop) ---")
threaded = race(blocks_a_pool_thread)
if not REAL:
    print("(virtual clock: blocking takes no loop time, so compare the order of the lines; "
          "run with --real for wall-clock timings)")
else:
    print("wall-clock time for two tasks that wait 0.3 s and 0.4 s:")
    print(f"  1. time.sleep in a task          : {blocking:.2f} s")
    print(f"  2. await asyncio.sleep()         : {yielding:.2f} s")
    print(f"  3. asyncio.to_thread(time.sleep) : {threaded:.2f} s")
