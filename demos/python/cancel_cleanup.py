"""Twin of `cancel_cleanup`: seed 002 'Timeout and Cancellation'.

Changed as the Rust demo changed the seed: lines start with the loop time. The cleanup is
the seed's own `except asyncio.CancelledError:` block.
"""

import asyncio

from vloop import run, say


async def long_running_task(name, duration):
    try:
        say(f"{name}: Starting long task ({duration}s)")
        await asyncio.sleep(duration)
        say(f"{name}: Task completed successfully")
        return f"{name} result"
    except asyncio.CancelledError:
        say(f"{name}: Task was cancelled!")
        raise


async def main():
    # Example 1: wait_for cancels the task at the deadline.
    try:
        result = await asyncio.wait_for(long_running_task("Task-1", 5), timeout=3)
        say(f"Result: {result}")
    except asyncio.TimeoutError:
        say("Task-1: Timed out after 3 seconds")

    # Example 2: manual cancellation of a task.
    task = asyncio.create_task(long_running_task("Task-2", 10))
    await asyncio.sleep(2)  # cancel after 2 seconds
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        say("Task-2: Successfully cancelled")


run(main())
