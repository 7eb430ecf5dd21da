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

scratch=${SCRATCH:-.build-fcgi}
sluice=${SLUICE:-$scratch/release/hello}
workers=96
runtime=$(dirname "$(readlink -f "$(command -v swift)")")/../lib/swift/linux
libc=$(ldd "$sluice" | awk '/libc\.so/ { print $3 }')
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
perf probe -q -x "$runtime/libswift_Concurrency.so" swift_task_switch 2>/dev/null || true
perf probe -q -x "$runtime/libswiftCore.so" swift_retain 2>/dev/null || true
perf probe -q -x "$libc" malloc 2>/dev/null || true
events=probe_libswift_Concurrency:swift_task_switch,probe_libswiftCore:swift_retain,probe_libc:malloc

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
socket=$work/app.sock
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/client_body;
    fastcgi_temp_path $work/fastcgi;
    proxy_temp_path $work/proxy;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    upstream app { server unix:$socket; keepalive 64; }
    server {
        listen 127.0.0.1:$port backlog=1024;
        location / {
            include /etc/nginx/fastcgi_params;
            fastcgi_keep_conn on;
            fastcgi_pass app;
        }
    }
}
CONF

printf '%-8s %14s %14s %14s\n' responder "task switches" retains mallocs
for responder in sluice c; do
    rm -f "$socket"
    case $responder in
    sluice) taskset -c 0 "$sluice" --fastcgi "$socket" --socket-mode 666 --workers $workers >/dev/null 2>&1 & ;;
    c) taskset -c 0 "$work/hello-c" "$socket" $workers >/dev/null 2>&1 & ;;
    esac
    app=$!
    for _ in $(seq 100); do [ -S "$socket" ] && break; sleep 0.1; done
    taskset -c 0 nginx -p "$work/" -c "$work/nginx.conf" -e "$work/error.log" &
    server=$!
    pids=("$app" "$server")
    for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$port/hello" >/dev/null 2>&1 && break; sleep 0.1; done
    taskset -c 1 wrk -t1 -c64 -d1s "http://127.0.0.1:$port/hello" >/dev/null
    perf stat -x, -e "$events" -p "$app" -o "$work/counts" -- sleep 4 &
    counter=$!
    sleep 0.2
    requests=$(taskset -c 1 wrk -t1 -c64 -d3s "http://127.0.0.1:$port/hello" | awk '/requests in/ { print $1 }')
    wait "$counter"
    kill "$server" "$app"
    wait "$server" "$app" 2>/dev/null || true
    awk -F, -v n="$requests" -v name="$responder" '
        /probe/ { split($3, event, ":"); per[event[2]] = $1 / n }
        END { printf "%-8s %14.1f %14.1f %14.1f\n", name, per["swift_task_switch"], per["swift_retain"], per["malloc"] }' "$work/counts"
done
