#!/usr/bin/env python3
"""One cell, run N times: the median, min and max of everything its RESULT line reports
(wall time, user and system CPU time, peak RSS, and the workload's own figures).

    python3 bench/scripts/cell_stats.py RUNTIME WORKLOAD [--repeat N] [--divisor D]

For `timers_fire` it also prints the probe of the performance chapter: how late the latest
timer fired, when every task had been joined (beyond the 200 ms the timers span), and the
teardown (what the cell took after the joins: dropping the loop and its buffers). The
`sys` line is the kernel time the chapter quotes for `tcp_echo`.
"""

import argparse
import statistics

from common import build, run_cell

SPAN_NS = 200_000_000  # timers_fire's last deadline


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runtime")
    parser.add_argument("workload")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--divisor", type=int, default=1)
    args = parser.parse_args()
    build()
    runs = [run_cell(args.runtime, args.workload, args.divisor) for _ in range(args.repeat)]
    if args.workload == "timers_fire":
        for run in runs:
            run["joined_after_span_ns"] = run["joined_ns"] - SPAN_NS
            run["teardown_ns"] = run["elapsed_ns"] - run["joined_ns"]
    print(f"{args.runtime} {args.workload}, {args.repeat} runs (median, min-max)")
    for key in runs[0]:
        values = [run[key] for run in runs]
        if key.endswith("_ns"):
            show = lambda ns: f"{ns / 1e6:.2f} ms"
        elif key in ("peak_rss", "extra_bytes"):
            show = lambda b: f"{b / 1e6:.1f} MB"
        else:
            show = str
        print(f"  {key[:-3] if key.endswith('_ns') else key:<20} {show(statistics.median(values)):>12}"
              f"   {show(min(values))} - {show(max(values))}")


if __name__ == "__main__":
    main()
