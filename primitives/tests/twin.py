"""What the asyncio twins of `*_against_asyncio.rs` share: read one script per line on
stdin, run it on a fresh asyncio loop, print its trace (ending in a line `end`)."""
import asyncio
import sys


def serve(run_script, oldest=(3, 10)):
    """Run `run_script(line, out)` for every line of stdin and print what it appended to
    `out`. Exits with status 3, which the Rust side reads as "skipped", on a Python older
    than `oldest`."""
    if sys.version_info < oldest:
        sys.exit(3)
    for line in sys.stdin:
        line = line.strip()
        if line:
            out = []
            asyncio.run(run_script(line, out))
            out.append("end")
            print("\n".join(out))


async def cancel_all(tasks):
    """The end of every script: cancel every task still running, in the order they were
    created, and wait for each to finish."""
    for task in tasks.values():
        task.cancel()
    await asyncio.gather(*tasks.values(), return_exceptions=True)
