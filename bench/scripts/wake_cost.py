#!/usr/bin/env python3
"""What one timer wake costs this machine, with no runtime at all (`wake_cost.c`): the CPU
time per wake and how late the wakes come, for a 1 ms and a 250 us period. The performance
chapter quotes it where it weighs more wakes per millisecond against lateness.

    python3 bench/scripts/wake_cost.py [PERIOD_US ...]
"""

import os
import subprocess
import sys
import tempfile

from common import require

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    require("cc")
    periods = sys.argv[1:] or ["1000", "250"]
    with tempfile.TemporaryDirectory() as scratch:
        binary = os.path.join(scratch, "wake_cost")
        subprocess.run(["cc", "-O2", "-o", binary, os.path.join(HERE, "wake_cost.c")], check=True)
        for period in periods:
            subprocess.run([binary, period], check=True)


if __name__ == "__main__":
    main()
