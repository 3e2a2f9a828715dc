"""asyncio.wait(return_when=FIRST_COMPLETED) can return more than one task in `done`: tasks that
finish in the same loop iteration are all done when the waiter runs.

Book: asyncio_texts_get_wrong.md ("there is exactly one task in done"; usually, not always),
waiting_for_many_things.md.
Verdict: RIGHT on 3.10-3.13.
CPython: Lib/asyncio/tasks.py: _wait (done/pending computed when the waiter resumes).
"""
import asyncio


async def query(name, gate):
    await gate
    return name


async def main():
    gate = asyncio.get_running_loop().create_future()
    tasks = [asyncio.create_task(query(n, gate)) for n in ("us-east", "eu-west", "ap-south")]
    asyncio.get_running_loop().call_later(0.01, gate.set_result, None)  # all three finish together
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print("done:", sorted(t.result() for t in done), "pending:", len(pending))


asyncio.run(main())
