"""Calling a coroutine function runs none of its body; Python warns only when the unused
coroutine object is destroyed ("coroutine '...' was never awaited"), at run time.

Book: smallest_executor.md ("A coroutine does nothing until someone runs it").
Verdict: RIGHT on 3.10-3.13.
CPython: Objects/genobject.c: _PyErr_WarnUnawaitedCoroutine (called when a never-started
coroutine is finalized).
"""
import asyncio
import gc
import warnings

log = []


async def fetch_data(url):
    log.append("body ran")
    await asyncio.sleep(0)
    return f"Data from {url}"


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    coro = fetch_data("example.com")
    print("after the call, the body ran:", log == ["body ran"])
    print("type:", type(coro).__name__)
    del coro
    gc.collect()
    for w in caught:
        print(f"{w.category.__name__}: {w.message}")

print("asyncio.run(fetch_data(...)) ->", asyncio.run(fetch_data("example.com")))
print("now the body ran:", log == ["body ran"])
