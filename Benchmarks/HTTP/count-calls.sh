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

. Benchmarks/harness.sh
. Benchmarks/uprobes.sh
require_tools perf wrk curl taskset

scratch=${SCRATCH:-.build-bench-http}
peers_scratch=${PEERS_SCRATCH:-$PWD/.build-http-peers}
port=${PORT:-18090}
start_scratch sluice-http-calls

place_uprobes "$scratch/release/hello"
printf '%-9s %14s %14s %14s\n' server "task switches" retains mallocs
for server in sluice nio; do
    case $server in
    sluice) start_on 0 /dev/null "$scratch/release/hello" --http "127.0.0.1:$port" ;;
    nio) start_on 0 /dev/null "$peers_scratch/release/NIOHello" "$port" ;;
    esac
    pid=$started
    wait_for "http://127.0.0.1:$port/hello"
    count_per_request "$server" "$pid" "http://127.0.0.1:$port/hello" "$work/counts"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
done
