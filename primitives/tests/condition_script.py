"""Runs Condition scripts on CPython's asyncio (3.13: a cancelled wait() notifies the next
waiter) and prints what a program can observe; the twin of `condition_against_asyncio.rs`.
Input on stdin, one script per line: `OP;OP;...`, each OP one of
    wait T      spawn task T: `async with cond:` then `await cond.wait()`, log, leave
    notify N    main: `async with cond: cond.notify(N)`
    cancel T    cancel task T
    yield
After every op and after the `await asyncio.sleep(0)` that follows it, main prints locked().
"""
import asyncio

from twin import cancel_all, serve


async def run_script(line, out):
    ops = line.split(";")
    cond = asyncio.Condition()
    tasks = {}

    async def waiter(name):
        async with cond:
            try:
                await cond.wait()
            except asyncio.CancelledError:
                out.append(f"{name} cancelled")
                raise
            out.append(f"{name} woken")

    for index, op in enumerate(ops):
        word = op.split()
        if word[0] == "wait":
            tasks[word[1]] = asyncio.create_task(waiter(word[1]))
        elif word[0] == "notify":
            async with cond:
                cond.notify(int(word[1]))
        elif word[0] == "cancel":
            tasks[word[1]].cancel()
        out.append(f"op{index} locked={cond.locked()}")
        await asyncio.sleep(0)
        out.append(f"step{index} locked={cond.locked()}")
    await cancel_all(tasks)


serve(run_script, oldest=(3, 13))
