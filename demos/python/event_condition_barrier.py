"""Twin of `event_condition_barrier`: the asyncio Q&A README's `asyncio.Event` ("allowing one
coroutine or task to signal one or more other coroutines or tasks"), with `Condition` and
`Barrier`.

Changed as the Rust demo changed the text: three scenes with fixed times (guests waiting for
the doors, waiters waiting for dishes, runners waiting at the start line). `asyncio.Barrier`
is new in 3.11; on 3.10 the twin says so instead of running the third scene.
"""

import asyncio
import sys

from vloop import run, say


async def guest(name, arrives_ms, doors):
    await asyncio.sleep(arrives_ms / 1000)
    say(f"{name}: at the door (open: {str(doors.is_set()).lower()})")
    await doors.wait()  # returns at once if the doors are already open
    say(f"{name}: comes in")


async def event_scene():
    doors = asyncio.Event()
    guests = [
        asyncio.create_task(guest("ada", 0, doors)),
        asyncio.create_task(guest("bob", 200, doors)),
        asyncio.create_task(guest("cy", 500, doors)),
        asyncio.create_task(guest("dee", 1500, doors)),  # comes after the doors opened
    ]
    await asyncio.sleep(1)
    say("host: opening the doors")
    doors.set()  # wakes every guest waiting; later wait()s return at once
    await asyncio.gather(*guests)


class Counter:
    dishes = 0


async def waiter(name, needs, counter, state):
    async with counter:
        say(f"{name}: waiting for {needs} dish(es)")
        await counter.wait_for(lambda: state.dishes >= needs)
        say(f"{name}: {state.dishes} dish(es) on the counter, serving")


async def cook(counter, state):
    for _ in range(3):
        await asyncio.sleep(0.5)
        async with counter:
            state.dishes += 1
            say(f"cook: dish {state.dishes} ready")
            counter.notify_all()  # every waiter rechecks its own predicate


async def condition_scene():
    counter, state = asyncio.Condition(), Counter()
    await asyncio.gather(
        asyncio.create_task(waiter("waiter A", 3, counter, state)),
        asyncio.create_task(waiter("waiter B", 1, counter, state)),
        asyncio.create_task(cook(counter, state)),
    )


async def runner(name, arrives_ms, start_line):
    await asyncio.sleep(arrives_ms / 1000)
    say(f"{name}: at the start line")
    await start_line.wait()
    say(f"{name}: running")


async def barrier_scene():
    start_line = asyncio.Barrier(3)
    await asyncio.gather(
        asyncio.create_task(runner("runner 1", 200, start_line)),
        asyncio.create_task(runner("runner 2", 500, start_line)),
        asyncio.create_task(runner("runner 3", 300, start_line)),
    )


print("--- Event: one set() wakes every waiter ---")
run(event_scene())
print("--- Condition: wait until the state is right ---")
run(condition_scene())
print("--- Barrier: wait until all three are here ---")
if hasattr(asyncio, "Barrier"):
    run(barrier_scene())
else:
    print(f"asyncio.Barrier needs Python 3.11 or newer (this is {sys.version.split()[0]})")
