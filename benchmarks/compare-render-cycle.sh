#!/bin/sh
# Side-by-side render-cycle throughput: our client's render cycle against upstream mosh's own example
# benchmark program (src/examples/benchmark.cc), same iteration counts, same window sizes, same machine.
#
#   benchmarks/compare-render-cycle.sh [PATH-TO-UPSTREAM-BENCHMARK]
#
# The upstream binary is optional (also UPSTREAM_BENCHMARK=...); without it only ours runs. This script never
# builds upstream. To build it yourself, from a checkout of mosh 1.4.0:
#   ./autogen.sh && ./configure --enable-examples && make     # binary: src/examples/benchmark
#
# Both programs run the same loop (one typed byte i+'x' into the prediction engine, copy of the server's frame,
# overlays applied, full redraw NewFrame(false, ...), frames swapped); each is timed as a whole process (ours
# includes the .NET runtime's start-up and JIT), best of RUNS runs (default 3). Upstream's loop is not a steady state (its prediction lists grow without bound), so
# compare only figures taken with the same ITERATIONS (default 100000, upstream's default).
# Environment: ITERATIONS, RUNS, SIZES (default "80x24 200x60").
set -eu

here=$(cd "$(dirname "$0")" && pwd)
upstream=${1:-${UPSTREAM_BENCHMARK:-}}
iterations=${ITERATIONS:-100000}
runs=${RUNS:-3}
sizes=${SIZES:-80x24 200x60}

if [ -n "$upstream" ] && [ ! -x "$upstream" ]; then
    echo "compare-render-cycle: $upstream is not an executable (build upstream with --enable-examples)" >&2
    exit 2
fi

dotnet build -c Release -v quiet -nologo "$here/Mosh.Benchmarks/Mosh.Benchmarks.csproj" >/dev/null
ours="$here/Mosh.Benchmarks/bin/Release/net10.0/Mosh.Benchmarks.dll"

now_ns() { date +%s%N; }

# best_of_runs COMMAND...: sets $best to the shortest wall time of $runs runs (nanoseconds), $best_output to that
# run's standard output.
best_of_runs() {
    best=""
    i=0
    while [ "$i" -lt "$runs" ]; do
        start=$(now_ns)
        output=$("$@")
        elapsed=$(( $(now_ns) - start ))
        if [ -z "$best" ] || [ "$elapsed" -lt "$best" ]; then
            best=$elapsed
            best_output=$output
        fi
        i=$((i + 1))
    done
}

rate() { awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.0f", n / (ns / 1e9) }'; }

seconds() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e9 }'; }

echo "render cycle, $iterations iterations, best of $runs whole-process runs; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %16s %16s %10s   %s\n' size "ours it/s" "upstream it/s" ratio "ours in-loop it/s, steady-state allocation"
for size in $sizes; do
    width=${size%x*}
    height=${size#*x}
    # The shipped client is Native AOT (fully optimised code from the first frame); without tiered compilation
    # the JIT gives the same, rather than spending the first thousands of frames in unoptimised code.
    best_of_runs env DOTNET_TieredCompilation=0 dotnet "$ours" render-cycle "$iterations" "$width" "$height"
    ours_ns=$best
    ours_line=$best_output
    in_loop=$(echo "$ours_line" | sed -n 's/.* \([0-9]*\) iterations\/s in the loop.*/\1/p')
    allocated=$(echo "$ours_line" | sed -n 's/.*; \([0-9]* B\) allocated in the second half.*/\1/p')
    ours_rate=$(rate "$iterations" "$ours_ns")
    if [ -n "$upstream" ]; then
        # Upstream's Display reads terminfo (xterm-256color has ECH and BCE, as ours assumes) and needs UTF-8.
        best_of_runs env TERM=xterm-256color LC_ALL=C.UTF-8 "$upstream" "$iterations" "$width" "$height"
        up_ns=$best
        up_rate=$(rate "$iterations" "$up_ns")
        ratio=$(awk -v a="$ours_rate" -v b="$up_rate" 'BEGIN { printf "%.2fx", a / b }')
        printf '%-8s %16s %16s %10s   %s, %s\n' "$size" "$ours_rate ($(seconds "$ours_ns") s)" "$up_rate ($(seconds "$up_ns") s)" "$ratio" "$in_loop" "$allocated"
    else
        printf '%-8s %16s %16s %10s   %s, %s\n' "$size" "$ours_rate ($(seconds "$ours_ns") s)" "-" "-" "$in_loop" "$allocated"
    fi
done
