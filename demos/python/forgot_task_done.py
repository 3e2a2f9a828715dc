"""Twin of `forgot_task_done`: "Week 11, Day 4: Concurrency Patterns", "Common Mistakes:
Not calling task_done()".

Changed as the Rust demo changed the text: a worker takes three jobs; once it calls
`task_done()` and `join()` returns, once it forgets and `join()` waits for ever. asyncio's
own loop would sit in `select()` for ever there; the virtual-clock loop sees that nothing can
wake a task and raises `LoopStuck`, which this twin prints.
"""

import asyncio

from vloop import LoopStuck, run, say


async def worker(queue, calls_task_done):
    while True:
        job = await queue.get()
        await asyncio.sleep(0.1)  # the job's work
        say(f"worker: job {job} done")
        if calls_task_done:
            queue.task_done()
        # else: the mistake, join() still counts this job as unfinished


async def main(calls_task_done):
    queue = asyncio.Queue()
    worker_task = asyncio.create_task(worker(queue, calls_task_done), name="worker")
    for job in range(1, 4):
        queue.put_nowait(job)
    await queue.join()  # returns when task_done() was called once per item put
    say("main: join() returned; cancelling the idle worker")
    worker_task.cancel()


print("--- the worker calls task_done() after each job ---")
run(main(True))
print("--- the worker forgets task_done() ---")
try:
    run(main(False))
    print("the loop finished: join() returned?")
except LoopStuck as stuck:
    print("asyncio's loop would hang here for ever; the virtual-clock loop stopped it:")
    print(f"LoopStuck: {stuck}")
