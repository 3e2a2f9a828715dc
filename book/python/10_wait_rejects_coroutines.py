"""asyncio.wait refuses bare coroutines from Python 3.11 (TypeError). In 3.10 it still wraps them
in tasks, with a DeprecationWarning.

Book: waiting_for_many_things.md; the seed (004, Example 24.2) says wait "will not accept raw
coroutines".
Verdict: VERSION-DEPENDENT: true from 3.11; on 3.10 accepted with a DeprecationWarning.
CPython: Lib/asyncio/tasks.py: wait (3.11+: "Passing coroutines is forbidden, use tasks
explicitly."; 3.10: warnings.warn(... DeprecationWarning)).
"""
import asyncio
import warnings


async def job():
    await asyncio.sleep(0)
    return 1


async def main():
    coro = job()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            done, pending = await asyncio.wait([coro])
            print("accepted a bare coroutine; done:", len(done), "pending:", len(pending))
        except TypeError as e:
            coro.close()
            print("TypeError:", e)
    for w in caught:
        print(f"{w.category.__name__}: {w.message}")


asyncio.run(main())
