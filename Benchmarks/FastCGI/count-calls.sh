#!/usr/bin/env bash
# Calls per request into the runtime — executor switches, retains, mallocs — for the Sluice
# hello served over FastCGI behind nginx, and for the C libfcgi hello beside it (not a test:
# numbers). Unlike requests/s or CPU time these counts do not move when other work shares the
# machine, so they show what a change to the request path saved even on a busy machine.
#
# Places uprobes on swift_task_switch, swift_retain and malloc, serves 3 s of wrk at 64
# connections through nginx (a unix socket, fastcgi_keep_conn on) to each responder, and divides
# each count by the requests served. Uses the binary Benchmarks/FastCGI/run.sh built (run it
# first, with the same SCRATCH); SLUICE=path/to/hello measures another build.
#
#   Benchmarks/FastCGI/count-calls.sh
#
# Needs root, perf (apt-get install -y linux-perf), nginx, wrk, libfcgi-dev and taskset.
set -euo pipefail
cd "$(dirname "$0")/../.."
. Benchmarks/uprobes.sh
. Benchmarks/FastCGI/nginx-conf.sh

scratch=${SCRATCH:-.build-fcgi}
sluice=${SLUICE:-$scratch/release/hello}
workers=96
work=$(mktemp -d /tmp/sluice-fcgi-calls-XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

cc -O2 -o "$work/hello-c" Benchmarks/FastCGI/hello.c -lfcgi -lpthread
place_uprobes "$sluice"
port=$(free_port)
socket=$work/app.sock
nginx_conf "$work" "$port" "unix:$socket" on

printf '%-9s %14s %14s %14s\n' responder "task switches" retains mallocs
for responder in sluice c; do
    rm -f "$socket"
    case $responder in
    sluice) taskset -c 0 "$sluice" --fastcgi "$socket" --socket-mode 666 --workers $workers >/dev/null 2>&1 & ;;
    c) taskset -c 0 "$work/hello-c" "$socket" $workers >/dev/null 2>&1 & ;;
    esac
    app=$!
    for _ in $(seq 100); do [ -S "$socket" ] && break; sleep 0.1; done
    chmod 666 "$socket"
    taskset -c 0 nginx -p "$work/" -c "$work/nginx.conf" -e "$work/error.log" &
    server=$!
    pids=("$app" "$server")
    for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/hello" >/dev/null 2>&1 && break; sleep 0.1; done
    count_per_request "$responder" "$app" "http://127.0.0.1:$port/hello" "$work/counts"
    kill "$server" "$app"
    wait "$server" "$app" 2>/dev/null || true
done
