"""Runs Barrier scripts on CPython's asyncio (3.11+) and prints what a program can observe;
the twin of `barrier_against_asyncio.rs`. Input on stdin, one script per line:

    PARTIES TASK;TASK;...

where each TASK is a list of rounds `Y,Y,...`: before round k the task yields Y times, then
awaits barrier.wait() and logs its index. Main samples n_waiting after every loop step for
40 steps, then cancels what is left.
"""
import asyncio

from twin import serve


async def run_script(line, out):
    parties, script = line.split(" ", 1)
    parties = int(parties)
    tasks = [[int(y) for y in task.split(",")] for task in script.split(";")]
    barrier = asyncio.Barrier(parties)

    async def party(name, yields):
        for round_, count in enumerate(yields):
            for _ in range(count):
                await asyncio.sleep(0)
            index = await barrier.wait()
            out.append(f"{name} round {round_} index {index}")

    running = [asyncio.create_task(party(f"t{n}", yields)) for n, yields in enumerate(tasks)]
    for step in range(40):
        await asyncio.sleep(0)
        out.append(f"step{step} n_waiting={barrier.n_waiting}")
    for task in running:
        task.cancel()
    await asyncio.gather(*running, return_exceptions=True)


serve(run_script, oldest=(3, 11))
