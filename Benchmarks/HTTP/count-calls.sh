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

. Benchmarks/uprobes.sh

scratch=${SCRATCH:-.build-bench-http}
peers_scratch=${PEERS_SCRATCH:-$PWD/.build-http-peers}
port=${PORT:-18090}
work=$(mktemp -d /tmp/sluice-http-calls-XXXXXX)
trap 'rm -rf "$work"' EXIT

place_uprobes "$scratch/release/hello"
printf '%-9s %14s %14s %14s\n' server "task switches" retains mallocs
for server in sluice nio; do
    case $server in
    sluice) taskset -c 0 "$scratch/release/hello" --http "127.0.0.1:$port" >/dev/null 2>&1 & ;;
    nio) taskset -c 0 "$peers_scratch/release/NIOHello" "$port" >/dev/null 2>&1 & ;;
    esac
    pid=$!
    for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/hello" >/dev/null 2>&1 && break; sleep 0.1; done
    count_per_request "$server" "$pid" "http://127.0.0.1:$port/hello" "$work/counts"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
done
