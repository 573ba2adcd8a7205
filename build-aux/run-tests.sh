#!/bin/sh
# Runs every test project and prints one final line "N passed, N failed" (the CI contract).
set -u
cd "$(dirname "$0")/.."
logdir=build/test-logs
mkdir -p "$logdir"
passed=0; failed=0
for proj in tests/Mosh.Core.Tests tests/Mosh.EndToEnd.Tests; do
    name=$(basename "$proj")
    log="$logdir/$name.log"
    ${DOTNET:-dotnet} test "$proj" -c Release --nologo --logger "console;verbosity=normal" ${TEST_ARGS:-} > "$log" 2>&1
    rc=$?
    # Show failures and the summary, not every passing test.
    grep -vE '^\s+Passed ' "$log"
    # VSTest's summary block: "Total tests: N", "     Passed: N", "     Failed: N".
    p=$(sed -n 's/^ *Passed: *\([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
    f=$(sed -n 's/^ *Failed: *\([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
    if [ -z "$p$f" ]; then
        if [ "$rc" -eq 0 ] && grep -q 'No test is available' "$log"; then
            continue
        fi
        echo "run-tests: $name did not report a result (build or runner failure, exit $rc)" >&2
        failed=$((failed + 1))
        continue
    fi
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
        echo "run-tests: $name exited with status $rc" >&2
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
