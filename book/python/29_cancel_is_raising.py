"""In asyncio, cancelling is raising: task.cancel() makes the loop throw CancelledError into the
coroutine at the await where it is suspended; except and finally blocks run and may await; a
coroutine may catch it and carry on. A task cancelled before its first step never runs its body.
wait_for(task, timeout) cancels the task at the deadline, waits until it has finished being
cancelled (its cleanup included), and only then raises TimeoutError.

Book: cancellation.md ("In asyncio, cancelling is raising", "A task cancelled before its first
poll", "A timeout around a task: detach or cancel?").
Verdict: RIGHT on 3.10-3.13.
CPython: Lib/asyncio/tasks.py: Task.cancel, Task.__step (coro.throw(exc) when _must_cancel),
wait_for (_cancel_and_wait in 3.10-3.11; timeouts.timeout from 3.12).
"""
import asyncio

log = []


async def job(name):
    log.append(f"{name}: started")
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append(f"{name}: CancelledError at the await")
        await asyncio.sleep(0.01)  # cleanup may await
        log.append(f"{name}: async cleanup done")
        raise
    finally:
        log.append(f"{name}: finally ran")


async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        return "refused to be cancelled"


async def main():
    task = asyncio.create_task(job("A"))
    await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log.append("awaiting A: CancelledError")

    never = asyncio.create_task(job("B"))
    never.cancel()  # before its first step
    try:
        await never
    except asyncio.CancelledError:
        log.append("B: cancelled before its first step")

    refusing = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    refusing.cancel()
    log.append(f"stubborn task returned: {await refusing!r}")

    timed = asyncio.create_task(job("C"))
    try:
        await asyncio.wait_for(timed, 0.05)
    except asyncio.TimeoutError:
        log.append(f"wait_for raised TimeoutError; the task is done: {timed.done()}")


asyncio.run(main())
print("\n".join(log))
