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
# The core unit tests built for arm64 (make check-arm64-build), run under qemu-user on x86-64: the parts where
# the architecture matters (every AES engine with the RFC 7253 vectors and the BouncyCastle cross-check, the
# network and protobuf code, the C struct layouts). Where they cannot run, the reason is printed and nothing counted.
arm64_filter='FullyQualifiedName~Mosh.Tests.Crypto.OcbAes128Tests|FullyQualifiedName~Mosh.Tests.Crypto.OcbBouncyCastleCrossCheckTests|FullyQualifiedName~Mosh.Tests.Crypto.AesBlockTests|FullyQualifiedName~Mosh.Tests.Crypto.AesSelectionTests|FullyQualifiedName~Mosh.Tests.Protobufs|FullyQualifiedName~Mosh.Tests.Network|FullyQualifiedName~Mosh.Tests.Util.LibCLayoutTests'
if [ "${ARM64_CHECK:-no}" = yes ]; then
    exe=${MOSH_ARM64_CORE_TESTS:-build/linux-arm64/core-tests}/Mosh.Core.Tests
    if [ ! -x "$exe" ]; then
        echo "run-tests: arm64 unit tests skipped: $exe was not built (no arm64 cross toolchain; ./configure.sh as root)"
    elif [ "$(head -n1 /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null)" != enabled ]; then
        echo "run-tests: arm64 unit tests skipped: qemu-aarch64 is not enabled in binfmt_misc (as root: mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc; update-binfmts --enable qemu-aarch64)"
    else
        log="$logdir/Mosh.Core.Tests.arm64.log"
        start=$(date +%s)
        # W^X off: qemu-user translates every code page the JIT writes, twice with the double mapping.
        DOTNET_EnableWriteXorExecute=0 "$exe" --filter "$arm64_filter" --no-ansi --no-progress --output detailed \
            > "$log" 2>&1
        rc=$?
        grep -E '^failed |AES engine on|engines run on|^ *(total|failed|succeeded|skipped):' "$log"
        p=$(sed -n 's/^ *succeeded: *\([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
        f=$(sed -n 's/^ *failed: *\([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
        if [ -z "$p" ]; then
            echo "run-tests: arm64 unit tests did not report a result (exit $rc)" >&2
            failed=$((failed + 1))
        else
            passed=$((passed + p)); failed=$((failed + ${f:-0}))
            if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
                echo "run-tests: arm64 unit tests exited with status $rc" >&2
                failed=$((failed + 1))
            fi
        fi
        echo "run-tests: arm64 unit tests under qemu: ${p:-0} passed, ${f:-0} failed in $(($(date +%s) - start)) s"
    fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
