#!/bin/sh
# Local echo side by side: our mosh-client and mosh-server, upstream's 1.4.0 client against our server, and
# upstream's client and server, each typing the same session (4 shell command lines, a vim.tiny command line and
# 3 lines in vim's insert mode, 227 keys 80-200 ms apart in a fixed pseudo-random rhythm, each line started 250 ms
# after the screen shows where it goes) through the test harness's UDP relay at ~0, 100 and 300 ms round trip and at 300 ms with 20 % loss each
# way. The client runs on a pseudo-terminal whose output feeds our terminal emulator, so each key's time until it
# is visible where it belongs is exact; every key counts (also shown: the share without the session's first line).
# Mispredictions seen: distinct wrong screens while typing (text on the typed row that the server's frames then
# contradict, or another row changing); wrong left: rows still wrong once a line settled.
#
# Needs our executables in build/bin (make) or $MOSH_BIN_DIR, Debian's mosh and vim-tiny. Timing figures are
# only meaningful on a quiet machine; rerun with --rounds to see the spread.
# Usage: benchmarks/local-echo-latency.sh [--conditions 0,100,300,300/0.2] [--pairings oo,uo,uu] [--rounds N]
#   conditions: RTT in ms, optionally /loss (0.2 = 20 %); pairings: client then server, o = ours, u = upstream.
set -eu
cd "$(dirname "$0")/.."
conditions=0,100,300,300/0.2
pairings=oo,uo,uu
rounds=1
while [ $# -gt 0 ]; do
    case "$1" in
        --conditions) conditions=$2; shift 2 ;;
        --pairings) pairings=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        *) echo "usage: $0 [--conditions LIST] [--pairings LIST] [--rounds N]" >&2; exit 2 ;;
    esac
done
dotnet build tests/Mosh.EndToEnd.Tests --nologo -v q >/dev/null
i=0
while [ "$i" -lt "$rounds" ]; do
    i=$((i + 1))
    echo "== round $i of $rounds ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"
    MOSH_ECHO_CONDITIONS=$conditions MOSH_ECHO_PAIRINGS=$pairings \
        dotnet test tests/Mosh.EndToEnd.Tests --no-build --nologo \
            --filter "FullyQualifiedName~Mosh.EndToEnd.Prediction.LocalEchoTests.EchoLatencyTableOfBothClients" \
            --logger "console;verbosity=detailed" |
        awk '/^ *Standard Output Messages:/ { show = 1; next } /^Test Run|^Total tests/ { show = 0 } show && !/^ *$/ { sub(/^ /, ""); print } /^ *(Passed|Failed) / { print }'
done
