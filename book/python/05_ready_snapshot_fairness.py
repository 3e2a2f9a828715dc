"""One iteration of the loop runs only the callbacks that were ready when it began
(ntodo = len(self._ready)); a task that yields goes to the back of the ready queue. So tasks that
yield in a loop take turns, and a task that never stops yielding cannot starve a timer.

Book: one_step_of_the_loop.md ("Only the tasks that were ready when the step began").
Verdict: RIGHT on 3.10-3.13.
CPython: Lib/asyncio/base_events.py: BaseEventLoop._run_once (ntodo = len(self._ready)).
"""
import asyncio


async def main():
    order = []

    async def yielder(name):
        for i in range(3):
            order.append(f"{name}{i}")
            await asyncio.sleep(0)

    await asyncio.gather(yielder("a"), yielder("b"))
    print("two yielding tasks take turns:", " ".join(order))

    spins = 0
    stop = False

    async def spinner():
        nonlocal spins
        while not stop:
            spins += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(spinner())
    await asyncio.sleep(0.01)  # a timer, while the spinner is always ready
    stop = True
    await task
    print("the timer fired although a task was always ready:", spins > 0)


asyncio.run(main())
