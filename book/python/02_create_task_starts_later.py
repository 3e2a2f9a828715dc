"""A task does not start inside create_task: create_task appends the task's first step to the
loop's ready queue (loop.call_soon), and the task runs only after its creator reaches an await
that suspends. Tasks then start in creation order.

From 3.12 a loop can be given asyncio.eager_task_factory: then create_task runs the coroutine at
once, up to its first suspending await. The default is still lazy.

Book: tasks_and_join_handles.md ("What spawn does", "asyncio behaves the same way"),
asyncio_texts_get_wrong.md ("Tasks automatically start execution when created").
Verdict: RIGHT for the default task factory; VERSION-DEPENDENT (eager_task_factory, 3.12+).
CPython: Lib/asyncio/tasks.py: Task.__init__ (self._loop.call_soon(self.__step, ...));
Lib/asyncio/tasks.py: create_eager_task_factory / Task.__eager_start (3.12+).
"""
import asyncio


async def worker(name, log):
    log.append(f"{name} started")
    await asyncio.sleep(0)
    log.append(f"{name} done")


async def spawn_three(log):
    tasks = [asyncio.create_task(worker(f"w{i}", log)) for i in (1, 2, 3)]
    log.append("main: created three tasks, counting without awaiting")
    sum(range(1000))
    await asyncio.gather(*tasks)


async def main():
    log = []
    await spawn_three(log)
    print("default factory:")
    for line in log:
        print("  " + line)

    factory = getattr(asyncio, "eager_task_factory", None)
    if factory is None:
        print("eager_task_factory: not in this version (3.12+)")
        return
    asyncio.get_running_loop().set_task_factory(factory)
    log = []
    await spawn_three(log)
    print("eager_task_factory:")
    for line in log:
        print("  " + line)


asyncio.run(main())
