"""Twin of `deadlock`: seed 001 'Common Mistakes: Deadlock'.

Changed as the Rust demo changed the seed: the smallest deadlock, two diners and two locks.
asyncio's own loop would wait in `select()` for ever; the virtual-clock loop sees that
nothing can wake a task and raises `LoopStuck`, which this twin prints.
"""

import asyncio

from vloop import LoopStuck, run, say


async def diner(name, first, then):
    async with first[1]:
        say(f"{name}: took the {first[0]}")
        await asyncio.sleep(0.1)  # long enough for the other to take theirs
        say(f"{name}: waiting for the {then[0]}")
        async with then[1]:  # never granted: the other holds it and waits too
            say(f"{name}: eating (never printed)")


async def main():
    fork, knife = asyncio.Lock(), asyncio.Lock()
    alice = asyncio.create_task(diner("alice", ("fork", fork), ("knife", knife)), name="alice")
    bob = asyncio.create_task(diner("bob", ("knife", knife), ("fork", fork)), name="bob")
    await alice
    await bob


try:
    run(main())
    print("the loop finished: no deadlock?")
except LoopStuck as stuck:
    print("asyncio's loop would hang here for ever; the virtual-clock loop stopped it:")
    print(f"LoopStuck: {stuck}")
