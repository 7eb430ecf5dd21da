#!/usr/bin/env bash
# Start-up cost of a Sluice CGI program against the same program in C (not a test: numbers).
#
# Builds Examples/CGIHello four ways (Scripts/build-cgi's fast build, which Docs/cgi.md
# recommends, -static-executable alone, --static-swift-stdlib, default dynamic) and Benchmarks/CGI/hello.c with gcc, then runs
# each RUNS times with a CGI environment set and stdin from /dev/null. Prints the median time
# per exec, the ratio to the C program (dynamically linked, the usual build), the maximum
# resident set size, the size, the page faults of one exec, and, with valgrind installed, the
# instructions one exec runs.
#
#   Benchmarks/CGI/run.sh            # RUNS=300 by default; RUNS=1000 Benchmarks/CGI/run.sh
#   KEEP=/tmp/bins Benchmarks/CGI/run.sh   # also keeps the programs in /tmp/bins
#
# Needs gcc; valgrind (for the fast build's start-up order and the instruction counts) is optional.
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

# The fast build, as users build it (Scripts/build-cgi, Docs/cgi.md): static, accessor-based
# type metadata, and with valgrind the code and data one request touches laid out together.
echo "building CGIHello (fast)..." >&2
SCRATCH="$scratch" Scripts/build-cgi CGIHello "$work/swift-fast" >/dev/null
build_swift swift-static-executable -Xswiftc -static-executable
build_swift swift-static-stdlib --static-swift-stdlib
build_swift swift-dynamic
gcc -O2 -o "$work/c-dynamic" Benchmarks/CGI/hello.c
gcc -O2 -static -o "$work/c-static" Benchmarks/CGI/hello.c
gcc -O2 -o "$work/interleave" Benchmarks/CGI/interleave.c

programs=(c-dynamic c-static swift-fast swift-static-executable swift-static-stdlib swift-dynamic)

# The request every run answers.
export GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET SCRIPT_NAME=/app PATH_INFO=/hello \
    REQUEST_URI=/app/hello QUERY_STRING= SERVER_NAME=localhost SERVER_PORT=80 \
    SERVER_PROTOCOL=HTTP/1.1 SERVER_SOFTWARE=bench REMOTE_ADDR=127.0.0.1 HTTP_HOST=localhost

for program in "${programs[@]}"; do
    expected="Hello from /app/hello"
    "$work/$program" </dev/null | grep -q "$expected" || { echo "$program did not answer '$expected'" >&2; exit 1; }
done

# Every run's time, as "program seconds" lines in $work/times. The programs take turns one
# exec at a time (interleave.c: fork, exec, wait, as hyperfine -N times one run), so a load
# that comes and goes on a shared machine weighs on all of them alike; rounds of hyperfine
# runs, even interleaved, let a burst of load land on one program's round.
measure() {
    local paths=()
    for program in "${programs[@]}"; do paths+=("$work/$program"); done
    "$work/interleave" 20 "${paths[@]}" >/dev/null # warm-up
    "$work/interleave" "$runs" "${paths[@]}" | awk '{ n = split($1, path, "/"); print path[n], $2 }' >"$work/times"
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

page_faults() { # program -> the page faults one exec takes (minor: every page is in memory)
    /usr/bin/time -f %R "$work/$1" </dev/null 2>&1 >/dev/null | tail -n 1
}

instructions() { # program -> instructions one exec runs (callgrind), or - without valgrind
    command -v valgrind >/dev/null || { echo -; return; }
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$work/$1" </dev/null 2>&1 >/dev/null \
        | awk '/Collected/ { print $4 }'
}

echo "$(date -u +%Y-%m-%d) $(uname -srm), $(nproc) cores, $(swift --version 2>/dev/null | head -n 1)"
echo "$runs runs each, taking turns exec by exec; load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(env | wc -l) environment variables"
printf '%-24s %12s %8s %12s %10s %8s %14s\n' program "median (ms)" "× C" "max RSS KiB" "size KiB" faults instructions
baseline=
for program in "${programs[@]}"; do
    median=$(median_ms "$program")
    [[ -n $baseline ]] || baseline=$median
    size=$(($(stat -c %s "$work/$program") / 1024))
    printf '%-24s %12.3f %8.2f %12s %10s %8s %14s\n' "$program" "$median" "$(echo "$median / $baseline" | bc -l)" \
        "$(max_rss_kib "$program")" "$size" "$(page_faults "$program")" "$(instructions "$program")"
done
[[ -z ${KEEP:-} ]] || { mkdir -p "$KEEP" && cp "${programs[@]/#/$work/}" "$KEEP/"; }
