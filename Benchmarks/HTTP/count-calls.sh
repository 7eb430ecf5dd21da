#!/usr/bin/env bash
# Calls per request into the runtime — executor switches, retains, mallocs — for the Sluice
# hello and the raw SwiftNIO hello (not a test: numbers). Unlike requests/s or CPU time these
# counts do not move when other work shares the machine, so they show what a change to the
# request path saved even on a busy machine.
#
# Places uprobes on swift_task_switch, swift_retain and malloc, serves 3 s of wrk at 64
# connections to each server, and divides each count by the requests served. Uses the
# binaries Benchmarks/HTTP/run.sh built (run it first, with the same SCRATCH and PEERS_SCRATCH).
#
#   Benchmarks/HTTP/count-calls.sh
#
# Needs root, perf (apt-get install -y linux-perf), wrk and taskset.
set -euo pipefail
cd "$(dirname "$0")/../.."

scratch=${SCRATCH:-.build-bench-http}
peers_scratch=${PEERS_SCRATCH:-$PWD/.build-http-peers}
port=${PORT:-18090}
runtime=$(dirname "$(readlink -f "$(command -v swift)")")/../lib/swift/linux
libc=$(ldd "$scratch/release/hello" | awk '/libc\.so/ { print $3 }')
work=$(mktemp -d /tmp/sluice-http-calls-XXXXXX)
trap 'rm -rf "$work"' EXIT

perf probe -q -x "$runtime/libswift_Concurrency.so" swift_task_switch 2>/dev/null || true
perf probe -q -x "$runtime/libswiftCore.so" swift_retain 2>/dev/null || true
perf probe -q -x "$libc" malloc 2>/dev/null || true
events=probe_libswift_Concurrency:swift_task_switch,probe_libswiftCore:swift_retain,probe_libc:malloc

printf '%-8s %14s %14s %14s\n' server "task switches" retains mallocs
for server in sluice nio; do
    case $server in
    sluice) taskset -c 0 "$scratch/release/hello" --http "127.0.0.1:$port" >/dev/null 2>&1 & ;;
    nio) taskset -c 0 "$peers_scratch/release/NIOHello" "$port" >/dev/null 2>&1 & ;;
    esac
    pid=$!
    for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/hello" >/dev/null 2>&1 && break; sleep 0.1; done
    taskset -c 1 wrk -t1 -c64 -d1s "http://127.0.0.1:$port/hello" >/dev/null
    perf stat -x, -e "$events" -p "$pid" -o "$work/counts" -- sleep 4 &
    counter=$!
    sleep 0.2
    requests=$(taskset -c 1 wrk -t1 -c64 -d3s "http://127.0.0.1:$port/hello" | awk '/requests in/ { print $1 }')
    wait "$counter"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    awk -F, -v n="$requests" -v server="$server" '
        /probe/ { split($3, event, ":"); per[event[2]] = $1 / n }
        END { printf "%-8s %14.1f %14.1f %14.1f\n", server, per["swift_task_switch"], per["swift_retain"], per["malloc"] }' "$work/counts"
done
