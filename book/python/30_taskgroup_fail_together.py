"""asyncio.TaskGroup (3.11+): the first failing child cancels its siblings, and every failure is
raised together in an ExceptionGroup. Two children that fail in the same loop iteration are both
in it, because the group hears of a failure through a done callback, which runs an iteration
later.

Book: waiting_for_many_things.md ("TaskGroup: fail together").
Verdict: RIGHT; VERSION-DEPENDENT (TaskGroup exists from 3.11).
CPython: Lib/asyncio/taskgroups.py: TaskGroup.create_task (task.add_done_callback),
TaskGroup._on_task_done, TaskGroup._abort, TaskGroup.__aexit__.
"""
import asyncio

log = []


async def child(name, gate, fails):
    try:
        await gate
    except asyncio.CancelledError:
        log.append(f"{name}: cancelled")
        raise
    if fails:
        raise ValueError(f"{name} failed")
    log.append(f"{name}: finished")


async def main():
    if not hasattr(asyncio, "TaskGroup"):
        print("asyncio.TaskGroup: not in this version (3.11+)")
        return
    loop = asyncio.get_running_loop()
    gate, slow_gate = loop.create_future(), loop.create_future()
    loop.call_later(0.01, gate.set_result, None)  # "one" and "two" fail in the same iteration
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(child("one", gate, fails=True))
            group.create_task(child("two", gate, fails=True))
            group.create_task(child("slow", slow_gate, fails=False))
    except BaseException as error:  # ExceptionGroup (a builtin from 3.11)
        log.append(f"{type(error).__name__}: {sorted(str(e) for e in error.exceptions)}")
    print("\n".join(log))


asyncio.run(main())
