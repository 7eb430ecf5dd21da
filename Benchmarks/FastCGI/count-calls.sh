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
. Benchmarks/harness.sh
. Benchmarks/uprobes.sh
. Benchmarks/FastCGI/nginx-conf.sh
require_tools perf nginx wrk curl taskset cc

scratch=${SCRATCH:-.build-fcgi}
sluice=${SLUICE:-$scratch/release/hello}
workers=96
start_scratch sluice-fcgi-calls

cc -O2 -o "$work/hello-c" Benchmarks/FastCGI/hello.c -lfcgi -lpthread
place_uprobes "$sluice"
port=$(free_port)
socket=$work/app.sock
nginx_conf "$work" "$port" "unix:$socket" on

printf '%-9s %14s %14s %14s\n' responder "task switches" retains mallocs
for responder in sluice c; do
    rm -f "$socket"
    case $responder in
    sluice) start_on 0 /dev/null "$sluice" --fastcgi "$socket" --socket-mode 666 --workers $workers ;;
    c) start_on 0 /dev/null "$work/hello-c" "$socket" $workers ;;
    esac
    app=$started
    wait_for "unix:$socket"
    chmod 666 "$socket"
    start_on 0 "$work/nginx.log" nginx -p "$work/" -c "$work/nginx.conf" -e "$work/error.log"
    server=$started
    wait_for "http://127.0.0.1:$port/hello"
    count_per_request "$responder" "$app" "http://127.0.0.1:$port/hello" "$work/counts"
    kill "$server" "$app"
    wait "$server" "$app" 2>/dev/null || true
done
