#!/usr/bin/env python3
"""Instructions per operation, counted by callgrind (valgrind): per task in `spawn_join`,
per yield in `yield_pingpong`, and so on. Instruction counts do not depend on what else the
machine is doing, so they compare runtimes on a busy machine where times cannot.

    python3 bench/scripts/instructions.py WORKLOAD [RUNTIME ...] [--scale D]

Each cell runs twice under callgrind: with the counts divided by D (default 1: full size)
and by 10 x D. The difference of the two totals over the difference of the operations is
what one more operation costs; the process's start and the runtime's setup cancel out. The
allocator's share is the self cost of malloc, free and their helpers in the larger run.
`broadcast` counts per wake (its waiters and its rounds are both divided). Every script
runs tinyloop with its slow-poll report off (`common.py`): under valgrind a poll can pass
100 ms of wall time, and the report it would print made counts depend on the machine's load.
"""

import argparse
import subprocess
import tempfile

from common import RUST_RUNTIMES, Unsupported, build, require, run_cell

# The operations of each workload with its counts divided by `d`, as bench/src/workloads.rs
# divides them (Sizes::divided: n // d, at least 2).
def divided(n, d):
    return max(2, n // d)


OPERATIONS = {
    "spawn_join": lambda d: divided(1_000_000, d),
    "yield_pingpong": lambda d: divided(5_000_000, d) // 2 * 2,
    "timers_cancel": lambda d: divided(1_000_000, d),
    "semaphore": lambda d: divided(100_000, d),
    "queue_1p1c": lambda d: divided(5_000_000, d),
    "queue_4p4c": lambda d: divided(4_000_000, d),
    "idle_tasks_memory": lambda d: divided(1_000_000, d),
    "gather": lambda d: divided(100_000, d),
    "task_group": lambda d: divided(100_000, d),
    "wait_first": lambda d: divided(100_000, d),
    # per wake: every waiter is woken once a round
    "broadcast": lambda d: divided(10_000, d) * divided(50, d),
}
ALLOCATOR = ("malloc", "free", "_int_malloc", "_int_free", "realloc", "_int_realloc",
             "malloc_consolidate", "unlink_chunk", "cfree", "sysmalloc")


def callgrind(runtime, workload, divisor):
    """(total instructions, allocator instructions) of one run of the cell."""
    with tempfile.NamedTemporaryFile(suffix=".callgrind") as out:
        run_cell(runtime, workload, divisor,
                 wrapper=("valgrind", "-q", "--tool=callgrind", f"--callgrind-out-file={out.name}"))
        annotated = subprocess.run(["callgrind_annotate", "--inclusive=no", out.name],
                                   check=True, capture_output=True, text=True).stdout
    total = allocator = 0
    for line in annotated.splitlines():
        fields = line.split()
        if not fields:
            continue
        number = fields[0].replace(",", "")
        if not number.isdigit():
            continue
        if "PROGRAM TOTALS" in line:
            total = int(number)
        elif len(fields) >= 3:
            function = fields[-2].split(":")[-1] if fields[-1].startswith("[") else fields[-1].split(":")[-1]
            if function.split("'")[0] in ALLOCATOR:
                allocator += int(number)
    return total, allocator


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", choices=sorted(OPERATIONS))
    parser.add_argument("runtimes", nargs="*", default=list(RUST_RUNTIMES))
    parser.add_argument("--scale", type=int, default=1, help="divide both runs' counts by this")
    args = parser.parse_args()
    require("valgrind")
    require("callgrind_annotate")
    build()
    large, small = args.scale, args.scale * 10
    operations = OPERATIONS[args.workload](large) - OPERATIONS[args.workload](small)
    print(f"{args.workload}: instructions per operation (callgrind; the difference of runs "
          f"with the counts divided by {large} and by {small})")
    for runtime in args.runtimes:
        try:
            (big, big_alloc), (little, _) = (callgrind(runtime, args.workload, large),
                                             callgrind(runtime, args.workload, small))
        except Unsupported:
            print(f"{runtime:<12} not implemented (the runtime has no such tool)")
            continue
        share = 100 * big_alloc / big if big else 0
        print(f"{runtime:<12} {(big - little) / operations:8.0f}   "
              f"(allocator: {share:.0f} % of the larger run's instructions)")


if __name__ == "__main__":
    main()
