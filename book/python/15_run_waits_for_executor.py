"""asyncio.run waits, after main returns, for the jobs of the default executor
(loop.run_in_executor(None, ...), asyncio.to_thread): it calls loop.shutdown_default_executor().
From 3.12 it waits at most THREAD_JOIN_TIMEOUT = 300 s, then warns and returns; on 3.10 and
3.11 it waits with no limit.

Book: threads.md (asyncio.run and to_thread jobs).
Verdict: VERSION-DEPENDENT: waits on all; bounded by 300 s from 3.12.
CPython: Lib/asyncio/runners.py: Runner.close / run (loop.shutdown_default_executor(
constants.THREAD_JOIN_TIMEOUT) from 3.12); Lib/asyncio/base_events.py:
BaseEventLoop.shutdown_default_executor; Lib/asyncio/constants.py: THREAD_JOIN_TIMEOUT.
"""
import asyncio
import inspect
import time

finished = []


def job():
    time.sleep(0.2)
    finished.append(True)


async def main():
    asyncio.get_running_loop().run_in_executor(None, job)  # not awaited
    await asyncio.sleep(0)


asyncio.run(main())
print("asyncio.run returned after the thread job finished:", finished == [True])
params = inspect.signature(asyncio.BaseEventLoop.shutdown_default_executor).parameters
print("shutdown_default_executor takes a timeout:", "timeout" in params)
print("THREAD_JOIN_TIMEOUT:", getattr(asyncio.constants, "THREAD_JOIN_TIMEOUT", None))
