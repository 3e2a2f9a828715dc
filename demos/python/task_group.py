"""Twin of `task_group`: `asyncio.TaskGroup` (3.11+), the structured form of the `gather` in
"Lecture 24: High-Level Concurrency APIs", Example 24.3.

Changed as the Rust demo changed the text: three regional queries with fixed delays
(us-east 0.2 s, eu-west 0.3 s, ap-south 0.5 s) in one group, once all succeeding, once with
eu-west raising; the `ExceptionGroup`'s exceptions are printed one a line. On 3.10, which has
no TaskGroup, the twin says so and stops.
"""

import asyncio
import sys

from vloop import run, say

if not hasattr(asyncio, "TaskGroup"):
    print(f"asyncio.TaskGroup needs Python 3.11 or newer (this is {sys.version.split()[0]})")
    sys.exit(0)


async def query_region(region, ms, fails):
    say(f"{region}: query sent")
    try:
        await asyncio.sleep(ms / 1000)
    except asyncio.CancelledError:
        say(f"{region}: cancelled, closing the connection")
        raise
    if fails:
        say(f"{region}: connection reset")
        raise ConnectionResetError(f"{region}: connection reset by peer")
    return f"Response from {region} in {ms / 1000:.2f}s"


async def query_all(eu_west_fails):
    try:
        async with asyncio.TaskGroup() as tg:
            tasks = [
                tg.create_task(query_region("us-east", 200, False), name="us-east"),
                tg.create_task(query_region("eu-west", 300, eu_west_fails), name="eu-west"),
                tg.create_task(query_region("ap-south", 500, False), name="ap-south"),
            ]
    except ExceptionGroup as group:  # noqa: F821 (a builtin from 3.11)
        say(f"the group failed: {len(group.exceptions)} failure(s)")
        for error in group.exceptions:
            say(f"  {error}")
    else:
        for task in tasks:
            say(f"  {task.result()}")


print("--- every child succeeds ---")
run(query_all(False))
print("--- eu-west fails: its sibling still running is cancelled ---")
run(query_all(True))
