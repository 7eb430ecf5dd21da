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
. Benchmarks/harness.sh
require_tools gcc
start_scratch sluice-cgi-bench

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

programs=(c-dynamic c-static swift-fast swift-static-executable swift-static-stdlib swift-dynamic)

cgi_environment # GET /app/hello, the request every run answers

for program in "${programs[@]}"; do
    expected="Hello from /app/hello"
    "$work/$program" </dev/null | grep -q "$expected" || { echo "$program did not answer '$expected'" >&2; exit 1; }
done

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

describe_machine
echo "$runs runs each, taking turns exec by exec; load average $(load_average)"
time_execs "$runs" "${programs[@]/#/$work/}"
echo "load average after: $(load_average); $(env | wc -l) environment variables"
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
