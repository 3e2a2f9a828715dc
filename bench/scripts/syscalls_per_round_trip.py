#!/usr/bin/env python3
"""Syscalls per round trip of `tcp_echo`, for every runtime, counted with `strace -c -f`.

    python3 bench/scripts/syscalls_per_round_trip.py [RUNTIME ...]

Each runtime's cell runs twice under strace: at full size (100 clients x 1 000 round
trips) and with the round trips divided by 10. The difference of the two counts, over the
difference of the round trips, is what one more round trip costs: starting the process,
importing Python's modules and connecting the clients cancel out. strace slows every
syscall down, which changes how many sockets each poller wait finds ready, so the count of
waits is indicative; the reads and writes are not affected.
"""

import re
import sys
import tempfile

from common import RUST_RUNTIMES, PYTHON_RUNTIMES, build, require, run_cell

CLIENTS = 100
ROUND_TRIPS = 1_000
SMALL = 10  # the divisor of the second run


def syscalls(runtime, divisor):
    """{syscall: calls} for one strace'd run of the cell."""
    with tempfile.NamedTemporaryFile(suffix=".strace") as out:
        run_cell(runtime, "tcp_echo", divisor, wrapper=("strace", "-c", "-f", "-o", out.name))
        counts = {}
        for line in open(out.name):
            # % time  seconds  usecs/call  calls  [errors]  syscall
            fields = line.split()
            if len(fields) >= 5 and re.fullmatch(r"[\d.]+", fields[0]) and fields[-1] != "total":
                counts[fields[-1]] = int(fields[3])
        return counts


def main():
    require("strace")
    runtimes = sys.argv[1:] or [*RUST_RUNTIMES, *PYTHON_RUNTIMES]
    build()
    trips = CLIENTS * (ROUND_TRIPS - ROUND_TRIPS // SMALL)
    print(f"tcp_echo: syscalls per round trip (strace -c -f; the difference of a run of "
          f"{CLIENTS}x{ROUND_TRIPS} and of {CLIENTS}x{ROUND_TRIPS // SMALL} round trips)")
    for runtime in runtimes:
        try:
            full, small = syscalls(runtime, 1), syscalls(runtime, SMALL)
        except Exception as error:  # uvloop missing, a failed cell: say so, go on
            print(f"{runtime:<12} could not run: {error}")
            continue
        per = {name: (full.get(name, 0) - small.get(name, 0)) / trips for name in full}
        total = sum(per.values())
        top = sorted(per.items(), key=lambda item: -item[1])
        detail = ", ".join(f"{name} {value:.2f}" for name, value in top if value >= 0.01)
        print(f"{runtime:<12} {total:5.2f}   ({detail})")


if __name__ == "__main__":
    main()
