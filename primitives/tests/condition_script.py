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
import sys


async def run_script(ops, out):
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
    for task in tasks.values():
        task.cancel()
    await asyncio.gather(*tasks.values(), return_exceptions=True)
    out.append("end")


def main():
    if sys.version_info < (3, 13):
        sys.exit(3)  # the Rust side skips: tinyloop follows 3.13 here
    for line in sys.stdin:
        line = line.strip()
        if line:
            out = []
            asyncio.run(run_script(line.split(";"), out))
            print("\n".join(out))


main()
