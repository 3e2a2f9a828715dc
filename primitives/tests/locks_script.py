"""Runs Semaphore and Lock scripts on CPython's asyncio and prints what a program can
observe; the twin of `locks_against_asyncio.rs`. Input on stdin, one script per line:

    KIND VALUE OP;OP;...

KIND is semaphore or lock (VALUE is the semaphore's initial value; ignored for a lock);
each OP is one of
    acq T      spawn task T: `async with prim:`, log, then wait forever inside
    cancel T   cancel task T (waiting, woken, or holding: it releases on the way out)
    release    prim.release() by hand (semaphore only)
    yield
After every op and after the `await asyncio.sleep(0)` that follows it, main prints
locked() (and the semaphore's value); tasks print when they acquire or are cancelled.
"""
import asyncio

from twin import cancel_all, serve


async def run_script(line, out):
    kind, value, script = line.split(" ", 2)
    value, ops = int(value), script.split(";")
    prim = asyncio.Semaphore(value) if kind == "semaphore" else asyncio.Lock()
    tasks = {}

    async def holder(name):
        try:
            async with prim:
                out.append(f"{name} acquired")
                await asyncio.get_running_loop().create_future()
        except asyncio.CancelledError:
            out.append(f"{name} cancelled")
            raise

    def sample(when):
        value = f" value={prim._value}" if kind == "semaphore" else ""
        out.append(f"{when} locked={prim.locked()}{value}")

    for index, op in enumerate(ops):
        word = op.split()
        if word[0] == "acq":
            tasks[word[1]] = asyncio.create_task(holder(word[1]))
        elif word[0] == "cancel":
            tasks[word[1]].cancel()
        elif word[0] == "release":
            prim.release()
        sample(f"op{index}")
        await asyncio.sleep(0)
        sample(f"step{index}")
    await cancel_all(tasks)
    sample("last")


serve(run_script)
