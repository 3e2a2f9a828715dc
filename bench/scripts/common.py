"""What the scripts beside this file share: where the benchmark binary is, and how to run
one cell of it (a Rust runtime through the binary, asyncio and uvloop through
asyncio_bench.py) with the counts divided or not.

The scripts measure one cell at a time, so that a figure the book quotes can be printed
again by anyone, from a committed script named beside the figure.
"""

import os
import pathlib
import shutil
import subprocess
import sys

BENCH = pathlib.Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
# The benchmark's own build (see bench/README.md); `--release` builds go to target/release.
BINARY = ROOT / "target" / "bench-lto" / "tinyloop-bench"
PYTHON_RUNTIMES = ("asyncio", "uvloop")
RUST_RUNTIMES = ("tinyloop", "tokio", "tokio_local", "smol")


def build():
    """Build the benchmark with its profile, so the scripts measure what the table does."""
    subprocess.run(
        ["cargo", "build", "-q", "--profile", "bench-lto", "-p", "tinyloop-bench"],
        cwd=ROOT,
        check=True,
    )


def cell_command(runtime, workload):
    """The command line that runs one cell."""
    if runtime in PYTHON_RUNTIMES:
        return ["python3", str(BENCH / "asyncio_bench.py"), workload, runtime]
    return [str(BINARY), "cell", runtime, workload]


def cell_env(divisor=1):
    env = dict(os.environ)
    env["TINYLOOP_BENCH_DIVISOR"] = str(divisor)
    env.pop("TINYLOOP_BENCH_VERIFY", None)
    # tinyloop's slow-poll report fires when a poll takes over 100 ms of wall time, which
    # only happens under valgrind or strace: off, so that counts do not depend on the clock.
    env["TINYLOOP_SLOW_POLL"] = "off"
    return env


class Unsupported(Exception):
    """The runtime has no version of this workload (the cell prints UNSUPPORTED)."""


def run_cell(runtime, workload, divisor=1, wrapper=()):
    """Run one cell (under `wrapper`, e.g. strace) and return its RESULT fields."""
    output = subprocess.run(
        [*wrapper, *cell_command(runtime, workload)],
        env=cell_env(divisor),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for line in output.splitlines():
        if line.startswith("RESULT"):
            return dict(
                (key, int(value))
                for key, value in (part.split("=", 1) for part in line.split()[1:])
            )
    if output.strip() == "UNSUPPORTED":
        raise Unsupported(f"{runtime} {workload}")
    raise RuntimeError(f"{runtime} {workload}: no RESULT line in {output!r}")


def require(tool):
    """Stop with a clear message if `tool` is not installed."""
    if shutil.which(tool) is None:
        sys.exit(f"{tool} is not installed here; this figure needs it (apt-get install {tool})")
