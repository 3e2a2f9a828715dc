"""asyncio.Event.set() resolves every waiter's future at once, so a waiter woken by set() returns
True even if clear() came before it ran: it does not re-check the flag.

Book: bug_museum.md ("Event: set, then clear"), event_condition_barrier.md.
Verdict: RIGHT on 3.10-3.13.
CPython: Lib/asyncio/locks.py: Event.set (fut.set_result(True) for every waiter), Event.wait.
"""
import asyncio


async def main():
    event = asyncio.Event()
    waiters = [asyncio.create_task(event.wait()) for _ in range(3)]
    await asyncio.sleep(0)
    event.set()
    event.clear()  # before any waiter has run
    print("flag now:", event.is_set())
    print("waiters returned:", await asyncio.gather(*waiters))


asyncio.run(main())
