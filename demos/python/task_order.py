"""Twin of `task_order`: seed 002 'Understanding Coroutines' (create_task, then gather).

Changed as the Rust demo changed the seed: each line names the loop step it runs in
(`step()` counts `BaseEventLoop._run_once` calls, tinyloop's `current_step()`), and main
does some busy work after spawning, to show that the tasks have not started.
"""

import asyncio

from vloop import EAGER, run, say, step


async def worker(name):
    say(f"{name}: started in step {step()}")
    await asyncio.sleep(0)  # let the others run
    say(f"{name}: resumed in step {step()}")
    return name


async def main():
    say(f"main: step {step()}: spawning worker-1, worker-2, worker-3")
    handles = [
        asyncio.create_task(worker("worker-1")),
        asyncio.create_task(worker("worker-2")),
        asyncio.create_task(worker("worker-3")),
    ]
    started = (
        "each ran to its first await inside spawn (--eager)"
        if EAGER
        else "none has started yet"
    )
    say(f"main: step {step()}: spawned all three; {started}")
    count = 0
    for _ in range(1_000_000):
        count += 1  # busy work that never awaits
    say(f"main: step {step()}: still running (counted to {count}); the workers still wait")
    for handle in handles:
        name = await handle
        say(f"main: step {step()}: joined {name}")


run(main())
