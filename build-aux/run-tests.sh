#!/bin/sh
# Builds the solution (benchmarks included), runs every test project and ends with exactly one line
# "N passed, N failed, N skipped": the CI contract (CI reads 'N passed, N failed' from the last line).
#
# Counts come from each run's TRX file, one result at a time (build-aux/trx-summary.py), not from VSTest's console
# totals, which leave NUnit's inconclusive tests out. Every skip is printed with its reason. A project that runs no
# test, a run that aborts (crash, or a test hanging longer than RUN_TESTS_HANG_TIMEOUT, which fails it with a dump
# in build/test-logs) and a failed build each count as a failure.
#
# MOSH_TESTS_STRICT=1 is exported to the tests: a missing prerequisite that the project controls (our published
# binaries, Debian's mosh, anything configure.sh installs) then fails its test instead of skipping it.
#
# Knobs (for build-aux/run-tests-selftest.sh and for developers): TEST_ARGS (extra `dotnet test` arguments, e.g.
# --filter), RUN_TESTS_PROJECTS, RUN_TESTS_BUILD (what to build first), RUN_TESTS_HANG_TIMEOUT,
# RUN_TESTS_HANG_DUMP (mini, full or none), RUN_TESTS_SELFTEST=0 (do not run the self-test first),
# RUN_TESTS_LOGDIR.
set -u
cd "$(dirname "$0")/.."
dotnet=${DOTNET:-dotnet}
logdir=${RUN_TESTS_LOGDIR:-build/test-logs}
projects=${RUN_TESTS_PROJECTS:-tests/Mosh.Core.Tests tests/Mosh.Executables.Tests tests/Mosh.EndToEnd.Tests}
build=${RUN_TESTS_BUILD:-mosh.sln}
hang_timeout=${RUN_TESTS_HANG_TIMEOUT:-5m}
hang_dump=${RUN_TESTS_HANG_DUMP:-mini}
export MOSH_TESTS_STRICT=1
rm -rf "$logdir"
mkdir -p "$logdir"
passed=0; failed=0; skipped=0

finish() {
    # The failures' whole messages last, where a short tail of this output (CI's) still shows them.
    if [ -s "$logdir/failure-details.txt" ]; then
        head -n 60 "$logdir/failure-details.txt"
    fi
    echo "$passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]
    exit
}

# The self-test of this script (fixture runs with known outcomes) counts as one test.
if [ "${RUN_TESTS_SELFTEST:-1}" != 0 ]; then
    if build-aux/run-tests-selftest.sh > "$logdir/run-tests-selftest.log" 2>&1; then
        echo "run-tests: self-test passed"
        passed=$((passed + 1))
    else
        cat "$logdir/run-tests-selftest.log"
        echo "run-tests: FAILED self-test (build-aux/run-tests-selftest.sh): the counts below cannot be trusted"
        failed=$((failed + 1))
    fi
fi

# One build of everything, so the benchmarks are compiled too and the test runs need not build again.
if ! $dotnet build "$build" -c Release --nologo -v q > "$logdir/build.log" 2>&1; then
    grep -E 'error|Error' "$logdir/build.log" | sort -u | head -50
    echo "run-tests: FAILED build of $build (log: $logdir/build.log)"
    failed=$((failed + 1))
    finish
fi

ran_any=0
for proj in $projects; do
    name=$(basename "$proj")
    log="$logdir/$name.log"
    trx="$name.trx"
    # shellcheck disable=SC2086
    $dotnet test "$proj" -c Release --no-build --nologo \
        --logger "console;verbosity=normal" --logger "trx;LogFileName=$trx" --results-directory "$logdir" \
        --blame-hang-timeout "$hang_timeout" --blame-hang-dump-type "$hang_dump" \
        ${TEST_ARGS:-} > "$log" 2>&1
    rc=$?
    # Show failures, skips and the summary, not every passing test.
    grep -vE '^\s+Passed ' "$log"
    if grep -q 'No test is available' "$log" && [ ! -f "$logdir/$trx" ]; then
        if [ -z "${TEST_ARGS:-}" ]; then
            echo "run-tests: FAILED $name: no test is available (discovery found nothing)"
            failed=$((failed + 1))
        fi
        continue
    fi
    if [ ! -f "$logdir/$trx" ]; then
        echo "run-tests: FAILED $name: no results (runner failure, exit $rc)"
        failed=$((failed + 1))
        continue
    fi
    summary=$(python3 build-aux/trx-summary.py "$logdir/$trx" "$logdir/failure-details.txt")
    if [ $? -ne 0 ] || [ -z "$summary" ]; then
        echo "run-tests: FAILED $name: could not read $logdir/$trx"
        failed=$((failed + 1))
        continue
    fi
    echo "$summary" | grep -v '^counts '
    set -- $(echo "$summary" | sed -n 's/^counts //p')
    p=$1; f=$2; s=$3; aborted=$4
    if [ $((p + f + s)) -eq 0 ] && [ "$aborted" -eq 0 ]; then
        if [ -z "${TEST_ARGS:-}" ]; then
            echo "run-tests: FAILED $name: no test ran"
            failed=$((failed + 1))
        fi
        continue
    fi
    ran_any=1
    echo "run-tests: $name: $p passed, $f failed, $s skipped"
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    if [ "$aborted" -ne 0 ]; then
        # The tests after the crashed or hung one never ran: the run as a whole fails.
        hung=$(sed -n '/^The test running when the crash occurred:/,/^$/p' "$log" | sed '1d;/^$/d' | tr '\n' ' ')
        echo "run-tests: FAILED $name: the run aborted (crash, or a test hung past $hang_timeout) in: ${hung:-unknown}"
        failed=$((failed + 1))
    elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "run-tests: FAILED $name: dotnet test exited with status $rc"
        failed=$((failed + 1))
    fi
done

# The core unit tests built for arm64 (make check-arm64-build), run under qemu-user on x86-64: the parts where
# the architecture matters (the ARMv8 and shuffle AES engines with the RFC 7253 vectors and the BouncyCastle
# cross-check, the network and protobuf code, the C struct layouts). The table-driven AES is the same code on every
# architecture and AES-NI cannot run on ARM, so their fixtures are left to the x86-64 run (under qemu the
# cross-check takes minutes per engine). Where they cannot run, the reason is printed and one skip is counted.
arm64_filter='(FullyQualifiedName~Mosh.Tests.Crypto.OcbAes128Tests|FullyQualifiedName~Mosh.Tests.Crypto.OcbBouncyCastleCrossCheckTests|FullyQualifiedName~Mosh.Tests.Crypto.AesBlockTests|FullyQualifiedName~Mosh.Tests.Crypto.AesSelectionTests|FullyQualifiedName~Mosh.Tests.Protobufs|FullyQualifiedName~Mosh.Tests.Network|FullyQualifiedName~Mosh.Tests.Util.LibCLayoutTests)&FullyQualifiedName!~Portable&FullyQualifiedName!~AesNi'
if [ "${ARM64_CHECK:-no}" = yes ] && [ -z "${TEST_ARGS:-}" ]; then
    exe=${MOSH_ARM64_CORE_TESTS:-build/linux-arm64/core-tests}/Mosh.Core.Tests
    if [ ! -x "$exe" ]; then
        echo "run-tests: arm64 unit tests skipped: $exe was not built (no arm64 cross toolchain; ./configure.sh as root)"
        skipped=$((skipped + 1))
    elif [ "$(head -n1 /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null)" != enabled ]; then
        echo "run-tests: arm64 unit tests skipped: qemu-aarch64 is not enabled in binfmt_misc (as root: mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; update-binfmts --enable qemu-aarch64)"
        skipped=$((skipped + 1))
    else
        log="$logdir/Mosh.Core.Tests.arm64.log"
        start=$(date +%s)
        # W^X off: qemu-user translates every code page the JIT writes, twice with the double mapping.
        DOTNET_EnableWriteXorExecute=0 "$exe" --filter "$arm64_filter" --no-ansi --no-progress --output detailed \
            > "$log" 2>&1
        rc=$?
        grep -E '^failed |AES engine on|engines run on' "$log" | sort -u
        p=$(sed -n 's/^ *succeeded: *\([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
        f=$(sed -n 's/^ *failed: *\([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
        s=$(sed -n 's/^ *skipped: *\([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
        if [ -z "$p" ]; then
            echo "run-tests: FAILED arm64 unit tests under qemu: no result (exit $rc, log: $log)"
            failed=$((failed + 1))
        else
            ran_any=1
            passed=$((passed + p)); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
            echo "run-tests: Mosh.Core.Tests (linux-arm64 under qemu): $p passed, ${f:-0} failed, ${s:-0} skipped in $(($(date +%s) - start)) s"
            if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
                echo "run-tests: FAILED arm64 unit tests: exited with status $rc"
                failed=$((failed + 1))
            fi
        fi
    fi
fi

if [ "$ran_any" -eq 0 ] && [ "$failed" -eq 0 ]; then
    echo "run-tests: FAILED: no test ran at all"
    failed=$((failed + 1))
fi
finish
