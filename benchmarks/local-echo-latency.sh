#!/bin/sh
# Regenerates the local-echo latency table: our mosh-client and upstream's 1.4.0, each against our mosh-server
# through a relay adding 150 ms each way (300 ms RTT), typing 20 keys 100 ms apart on a pty whose output feeds
# our terminal emulator; plus our client with MOSH_PREDICTION_DISPLAY=never. With --sweep: both clients at 100,
# 300 and 500 ms RTT instead. Needs the executables in build/bin (make) or MOSH_BIN_DIR, and Debian's mosh for
# upstream's client.
# Usage: benchmarks/local-echo-latency.sh [--sweep] [rounds]   (default 1 round; a round takes 15-60 s)
set -eu
cd "$(dirname "$0")/.."
filter="FullyQualifiedName~Mosh.EndToEnd.Prediction.LocalEchoTests.AdaptivePrediction|FullyQualifiedName~Mosh.EndToEnd.Prediction.LocalEchoTests.NeverMode"
if [ "${1:-}" = "--sweep" ]; then
    filter="FullyQualifiedName~Mosh.EndToEnd.Prediction.LocalEchoTests.EchoLatencyOfBothClientsAtOneWayDelay"
    shift
fi
rounds=${1:-1}
dotnet build tests/Mosh.EndToEnd.Tests --nologo -v q >/dev/null
i=0
while [ "$i" -lt "$rounds" ]; do
    i=$((i + 1))
    dotnet test tests/Mosh.EndToEnd.Tests --no-build --nologo --filter "$filter" --logger "console;verbosity=detailed" |
        awk '/^Local echo at/ { show = 1 } show && /^ *$/ { show = 0 } show && !/^ / { print } /^  (Passed|Failed) / { print }'
done
