"""When no task is ready, no timer is set and nothing can wake a task, asyncio's loop blocks in
select(None) for ever: it has no deadlock report. Two tasks each holding the Lock the other wants
(seed 001's "Common Mistakes: Deadlock") hang; the loop runs in a daemon thread here so the
program can watch it block, wait 0.3 s more, and exit.

Book: one_step_of_the_loop.md ("asyncio would hang here forever"), watching_the_loop.md and
lock.md (the deadlock demo: "where asyncio hangs").
Verdict: RIGHT on 3.10-3.13.
CPython: Lib/asyncio/base_events.py: BaseEventLoop._run_once (timeout = None when there is
nothing ready and no timer; event_list = self._selector.select(timeout)).
"""
import asyncio
import threading
import time

timeouts = []


async def diner(name, first, second, both_hold_one):
    async with first:
        both_hold_one.append(name)
        while len(both_hold_one) < 2:
            await asyncio.sleep(0)
        async with second:
            print(f"{name} ate")


async def main():
    loop = asyncio.get_running_loop()
    real_select = loop._selector.select

    def recording_select(timeout=None):
        timeouts.append(timeout)
        return real_select(timeout)

    loop._selector.select = recording_select
    fork, knife = asyncio.Lock(), asyncio.Lock()
    holding = []
    await asyncio.gather(diner("A", fork, knife, holding), diner("B", knife, fork, holding))


thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
thread.start()
deadline = time.monotonic() + 10
while not (timeouts and timeouts[-1] is None) and time.monotonic() < deadline:
    time.sleep(0.01)
print("the loop reached select(timeout=None):", bool(timeouts) and timeouts[-1] is None)
iterations = len(timeouts)
thread.join(0.3)
print("0.3 s later it is still running:", thread.is_alive())
print("and has not woken once since:", len(timeouts) == iterations)
