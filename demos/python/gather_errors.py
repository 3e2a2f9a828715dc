"""Twin of `gather_errors`: seed 002 and 004 `asyncio.gather` (and Example 24.3's claim).

Changed as the Rust demo changed the seed: four cases with fixed delays. A child that fails
raises; results are printed in the Rust demo's notation (`Ok("a ok")`, `Err("b failed")`) so
that notation does not show up as a difference. Case 3, fail-fast with the others
cancelled, is `asyncio.TaskGroup` (new in 3.11; on 3.10 the twin does by hand what it
does: gather the tasks, and on the first failure cancel them all and wait for them).
"""

import asyncio

from vloop import run, say


async def fetch(name, delay, fails):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        say(f"{name}: dropped before finishing (cancelled)")
        raise
    if fails:
        say(f"{name}: failed")
        raise RuntimeError(f"{name} failed")
    say(f"{name}: finished")
    return f"{name} ok"


def rust(result):
    """`Ok("a ok")` / `Err("b failed")`, as the Rust demo prints a `Result`."""
    if isinstance(result, BaseException):
        return f'Err("{result}")'
    return f'Ok("{result}")'


def a_fails_b_c():
    """Three tasks: a (0.3 s) and c (0.2 s) finish, b fails at 0.1 s."""
    return [asyncio.create_task(fetch("a", 0.3, False)),
            asyncio.create_task(fetch("b", 0.1, True)),
            asyncio.create_task(fetch("c", 0.2, False))]


async def main():
    say("1. gather: results in argument order")
    results = await asyncio.gather(fetch("a", 0.3, False), fetch("b", 0.2, False),
                                   fetch("c", 0.1, False))
    say(f"results: ({', '.join(map(rust, results))})")

    say("2. gather keeping every Result (return_exceptions=True)")
    results = await asyncio.gather(fetch("a", 0.3, False), fetch("b", 0.1, True),
                                   fetch("c", 0.2, False), return_exceptions=True)
    say(f"results: ({', '.join(map(rust, results))})")

    say("3. try_gather: the first Err wins, the other futures are dropped")
    if hasattr(asyncio, "TaskGroup"):
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(fetch("a", 0.3, False))
                group.create_task(fetch("b", 0.1, True))
                group.create_task(fetch("c", 0.2, False))
        except Exception as failed:  # an ExceptionGroup
            say(f"results: {rust(failed.exceptions[0])}")
    else:  # Python 3.10: what TaskGroup does, by hand
        tasks = a_fails_b_c()
        try:
            await asyncio.gather(*tasks)
        except RuntimeError as failed:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            say(f"results: {rust(failed)}")

    say("4. asyncio's default gather over tasks: the first Err, the others keep running")
    tasks = a_fails_b_c()
    try:
        await asyncio.gather(*tasks)
    except RuntimeError as failed:
        say(f"results: {rust(failed)}")
    await asyncio.sleep(0.3)  # a and c are still running


run(main())
