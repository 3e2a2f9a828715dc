"""Runs queue scripts on CPython's asyncio and prints what a program can observe.

The twin of `queue_against_asyncio.rs`, which runs the same scripts on tinyloop and
compares the two traces line by line. Input on stdin, one script per line:

    KIND MAXSIZE OP;OP;...

KIND is fifo, lifo or priority; each OP is one of
    get G            spawn task G, which awaits queue.get()
    put P ITEM       spawn task P, which awaits queue.put(ITEM)
    put_nowait ITEM
    get_nowait
    cancel T         cancel task T (whatever state it is in)
    task_done
    yield
After every op, and again after the `await asyncio.sleep(0)` that follows it, the main task
prints the queue's qsize, empty(), full() and unfinished count; tasks print what they got
as they finish. Each script's trace ends with a line `end`.
"""
import asyncio

from twin import cancel_all, serve


async def run_script(line, out):
    kind, maxsize, script = line.split(" ", 2)
    maxsize, ops = int(maxsize), script.split(";")
    queue = {"fifo": asyncio.Queue, "lifo": asyncio.LifoQueue,
             "priority": asyncio.PriorityQueue}[kind](maxsize)
    tasks = {}

    async def getter(name):
        try:
            item = await queue.get()
        except asyncio.CancelledError:
            out.append(f"{name} cancelled")
            raise
        out.append(f"{name} got {item}")

    async def putter(name, item):
        try:
            await queue.put(item)
        except asyncio.CancelledError:
            out.append(f"{name} cancelled")
            raise
        out.append(f"{name} put {item}")

    def sample(when):
        out.append(f"{when} qsize={queue.qsize()} empty={queue.empty()} "
                   f"full={queue.full()} unfinished={queue._unfinished_tasks}")

    for index, op in enumerate(ops):
        word = op.split()
        if word[0] == "get":
            tasks[word[1]] = asyncio.create_task(getter(word[1]))
        elif word[0] == "put":
            tasks[word[1]] = asyncio.create_task(putter(word[1], int(word[2])))
        elif word[0] == "put_nowait":
            try:
                queue.put_nowait(int(word[1]))
                out.append(f"put_nowait {word[1]} ok")
            except asyncio.QueueFull:
                out.append(f"put_nowait {word[1]} full")
        elif word[0] == "get_nowait":
            try:
                out.append(f"get_nowait {queue.get_nowait()}")
            except asyncio.QueueEmpty:
                out.append("get_nowait empty")
        elif word[0] == "cancel":
            tasks[word[1]].cancel()
        elif word[0] == "task_done":
            try:
                queue.task_done()
                out.append("task_done ok")
            except ValueError:
                out.append("task_done too many")
        sample(f"op{index}")
        await asyncio.sleep(0)
        sample(f"step{index}")
    await cancel_all(tasks)


serve(run_script)
