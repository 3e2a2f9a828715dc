#!/usr/bin/env bash
# Proves the exercises are honest: with the reference solutions (`--features solutions`) every
# exercise's tests pass, and with the untouched skeletons every exercise's tests fail.
#
# Run from anywhere: ./exercises/prove.sh. Exits non-zero, naming the exercise, if either
# promise is broken. "Untouched" means as committed: run it on a clean checkout (a learner's
# work in progress would make a skeleton pass).
set -euo pipefail
cd "$(dirname "$0")"
export RUST_BACKTRACE=0

tests=$(ls tests/ex*.rs | sed 's|tests/||; s|\.rs$||' | sort)
status=0

echo "building (solutions, then skeletons)..."
cargo test --quiet --features solutions --no-run
cargo test --quiet --no-run

for t in $tests; do
    if cargo test --quiet --features solutions --test "$t" >/dev/null 2>&1; then
        solution="pass"
    else
        solution="FAIL"
        status=1
    fi
    # Every test of the skeleton must fail, not just one: count the passes.
    out=$(cargo test --quiet --test "$t" -- --test-threads=1 2>&1 || true)
    passed=$(sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed.*/\1/p' <<<"$out" | head -n1)
    failed=$(sed -n 's/^test result: [A-Za-z]*\. [0-9]* passed; \([0-9]*\) failed.*/\1/p' <<<"$out" | head -n1)
    if [[ "${passed:-x}" == "0" && "${failed:-0}" -gt 0 ]]; then
        skeleton="all ${failed} fail"
    else
        skeleton="NOT ALL FAIL (passed: ${passed:-?}, failed: ${failed:-?})"
        status=1
    fi
    printf '%-6s solutions: %-5s skeleton: %s\n' "$t" "$solution" "$skeleton"
done

if [[ $status -eq 0 ]]; then
    echo "honest: every exercise passes with the solutions and fails untouched"
else
    echo "NOT honest: see the lines above" >&2
fi
exit $status
