#!/bin/sh
# Self-test of run-tests.sh: runs it on build-aux/run-tests-fixture (tests with known outcomes) and checks its
# final line and exit status. run-tests.sh runs this first, so `make check` cannot look green with broken counting.
set -u
cd "$(dirname "$0")/.."
fixture=build-aux/run-tests-fixture
work=${TMPDIR:-/tmp}/run-tests-selftest.$$
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
mkdir -p "$work"
problems=0

# run CASE FILTER [ENV...]: run-tests.sh on the fixture with that filter; leaves its output in $work/CASE.out.
run() {
    case_name=$1; filter=$2; shift 2
    env RUN_TESTS_SELFTEST=0 ARM64_CHECK=no RUN_TESTS_PROJECTS=$fixture RUN_TESTS_BUILD=$fixture \
        RUN_TESTS_LOGDIR="$work/$case_name" RUN_TESTS_HANG_DUMP=none TEST_ARGS="$filter" "$@" \
        build-aux/run-tests.sh > "$work/$case_name.out" 2>&1
    echo $? > "$work/$case_name.rc"
}

# expect CASE LAST-LINE RC-IS(zero|nonzero) [TEXT...]: the final line, the exit status and texts that must appear.
expect() {
    case_name=$1; want=$2; want_rc=$3; shift 3
    got=$(tail -n 1 "$work/$case_name.out")
    rc=$(cat "$work/$case_name.rc")
    ok=1
    [ "$got" = "$want" ] || ok=0
    if [ "$want_rc" = zero ]; then [ "$rc" -eq 0 ] || ok=0; else [ "$rc" -ne 0 ] || ok=0; fi
    for text in "$@"; do
        grep -qF -- "$text" "$work/$case_name.out" || { echo "selftest $case_name: missing '$text'"; ok=0; }
    done
    if [ "$ok" -eq 1 ]; then
        echo "selftest $case_name: ok ($got, exit $rc)"
    else
        echo "selftest $case_name: WRONG: last line '$got' exit $rc; wanted '$want' exit $want_rc. Output:"
        sed 's/^/    /' "$work/$case_name.out"
        problems=$((problems + 1))
    fi
}

# One pass, one ignore, one inconclusive: both non-passes are skips, each printed with its reason.
run mixed "--filter TestCategory=Mixed"
expect mixed "1 passed, 0 failed, 2 skipped" zero \
    "fixture reason: ignored on purpose" "fixture reason: inconclusive on purpose"

run failing "--filter TestCategory=Fail"
# The whole message is repeated at the end (blank lines dropped), where a short tail of the output shows it.
expect failing "0 passed, 1 failed, 0 skipped" nonzero "fixture failure on purpose" "  | second line of the message" "  | last screen line"

# A filter that selects nothing: no test ran, which is a failure, not a green run.
run nothing "--filter TestCategory=NoSuchCategory"
expect nothing "0 passed, 1 failed, 0 skipped" nonzero "no test ran at all"

# A hung test fails the run within the hang timeout and is named. The timeout counts from the session's start:
# at 5 s a loaded machine's test host had not yet reported the test as started, so blame could not name it.
start=$(date +%s)
run hang "--filter TestCategory=Hang" RUN_TESTS_HANG_TIMEOUT=20s
elapsed=$(( $(date +%s) - start ))
expect hang "0 passed, 1 failed, 0 skipped" nonzero "RunTestsFixture.KnownOutcomes.Hangs"
if [ "$elapsed" -gt 120 ]; then
    echo "selftest hang: took ${elapsed}s, the hang timeout did not stop it"
    problems=$((problems + 1))
fi

[ "$problems" -eq 0 ]
