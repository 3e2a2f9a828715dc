"""Queue.join() waits until task_done() has been called once per item put, not until the items
have been taken: a consumer that gets every item but never calls task_done() leaves join()
waiting for ever. One task_done() too many raises ValueError.

Book: queue.md (join and task_done; seed 001's "Not calling task_done()").
Verdict: RIGHT on 3.10-3.13.
CPython: Lib/asyncio/queues.py: Queue.put_nowait (_unfinished_tasks += 1), Queue.task_done,
Queue.join.
"""
import asyncio


async def main():
    queue = asyncio.Queue()
    for item in range(3):
        queue.put_nowait(item)
    for _ in range(3):
        queue.get_nowait()  # taken, but task_done() never called
    print("queue empty:", queue.empty())
    try:
        await asyncio.wait_for(queue.join(), 0.05)
    except asyncio.TimeoutError:
        print("join() without task_done(): still waiting after 0.05 s")
    for _ in range(3):
        queue.task_done()
    await queue.join()
    print("join() after three task_done(): returned")
    try:
        queue.task_done()
    except ValueError as e:
        print("a fourth task_done(): ValueError:", e)


asyncio.run(main())
