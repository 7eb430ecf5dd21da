#!/usr/bin/env bash
# Start-up cost of a Sluice CGI program against the same program in C (not a test: numbers).
#
# Builds Examples/CGIHello three ways (-static-executable, --static-swift-stdlib, default
# dynamic) and Benchmarks/CGI/hello.c with gcc, then runs each RUNS times with a CGI
# environment set and stdin from /dev/null. Prints the median time per exec, the maximum
# resident set size, and the ratio to the C program (dynamically linked, the usual build).
#
#   Benchmarks/CGI/run.sh            # RUNS=300 by default; RUNS=1000 Benchmarks/CGI/run.sh
#
# Uses hyperfine when installed, else a loop timed with bash's $EPOCHREALTIME (or date +%s%N).
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=${RUNS:-300}
scratch=${SCRATCH:-.build-bench}
work=$(mktemp -d /tmp/sluice-cgi-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

build_swift() { # name, extra swift build arguments...
    local name=$1
    shift
    echo "building CGIHello ($name)..." >&2
    swift build -c release --scratch-path "$scratch" --product CGIHello "$@" >"$work/build.log" 2>&1 \
        || { cat "$work/build.log" >&2; exit 1; }
    cp "$scratch/release/CGIHello" "$work/$name"
}

build_swift swift-static-executable -Xswiftc -static-executable
build_swift swift-static-stdlib --static-swift-stdlib
build_swift swift-dynamic
gcc -O2 -o "$work/c-dynamic" Benchmarks/CGI/hello.c
gcc -O2 -static -o "$work/c-static" Benchmarks/CGI/hello.c

programs=(c-dynamic c-static swift-static-executable swift-static-stdlib swift-dynamic)

# The request every run answers.
export GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET SCRIPT_NAME=/app PATH_INFO=/hello \
    REQUEST_URI=/app/hello QUERY_STRING= SERVER_NAME=localhost SERVER_PORT=80 \
    SERVER_PROTOCOL=HTTP/1.1 SERVER_SOFTWARE=bench REMOTE_ADDR=127.0.0.1 HTTP_HOST=localhost

for program in "${programs[@]}"; do
    expected="Hello from /app/hello"
    "$work/$program" </dev/null | grep -q "$expected" || { echo "$program did not answer '$expected'" >&2; exit 1; }
done

# Every run's time, as "program seconds" lines in $work/times. The programs take turns (in
# rounds of hyperfine runs, or one exec each in the shell loop), so a load that comes and goes
# on a shared machine weighs on all of them alike.
measure() {
    : >"$work/times"
    if command -v hyperfine >/dev/null; then
        local rounds=10 paths=()
        for program in "${programs[@]}"; do paths+=("$work/$program"); done
        for ((round = 0; round < rounds; round++)); do
            hyperfine -N --warmup 5 --runs $((runs / rounds)) --export-json "$work/round.json" "${paths[@]}" >/dev/null 2>&1
            jq -r '.results[] | .command as $c | .times[] | "\($c | split("/") | last) \(.)"' "$work/round.json" >>"$work/times"
        done
    else
        local start end
        now() { if [[ -n ${EPOCHREALTIME:-} ]]; then echo "${EPOCHREALTIME/./}"; else echo $(($(date +%s%N) / 1000)); fi; }
        for ((i = 0; i < runs; i++)); do
            for program in "${programs[@]}"; do
                start=$(now)
                "$work/$program" </dev/null >/dev/null
                end=$(now)
                echo "$program $(echo "($end - $start) / 1000000" | bc -l)" >>"$work/times"
            done
        done
    fi
}

median_ms() { # program -> median milliseconds per exec, from $work/times
    awk -v p="$1" '$1 == p { print $2 * 1000 }' "$work/times" | sort -g \
        | awk '{ v[NR] = $1 } END { printf "%.3f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

max_rss_kib() { # program -> the largest max RSS of 5 runs, in KiB
    local program=$1 most=0 rss
    for _ in 1 2 3 4 5; do
        rss=$(/usr/bin/time -f %M "$work/$program" </dev/null 2>&1 >/dev/null | tail -n 1)
        ((rss > most)) && most=$rss
    done
    echo "$most"
}

echo "$(date -u +%Y-%m-%d) $(uname -srm), $(nproc) cores, $(swift --version 2>/dev/null | head -n 1)"
echo "$runs runs each, $(command -v hyperfine >/dev/null && echo 'hyperfine, 10 interleaved rounds' || echo 'interleaved shell loop'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure
printf '%-26s %12s %10s %12s %10s\n' program "median (ms)" "× C" "max RSS KiB" "size KiB"
baseline=
for program in "${programs[@]}"; do
    median=$(median_ms "$program")
    [[ -n $baseline ]] || baseline=$median
    size=$(($(stat -c %s "$work/$program") / 1024))
    printf '%-26s %12.3f %10.2f %12s %10s\n' "$program" "$median" "$(echo "$median / $baseline" | bc -l)" "$(max_rss_kib "$program")" "$size"
done
