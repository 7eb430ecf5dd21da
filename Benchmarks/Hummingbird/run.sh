#!/usr/bin/env bash
# Benchmarks/Hummingbird/run.sh — the bookshop's Hummingbird router (Examples/Frameworks) on
# Sluice against the same router on Hummingbird's own server, side by side in one run.
#
# Cases, each serving GET /books/2 (a JSON book, through the router and its middleware):
#   sluice-fastcgi      nginx → FastCGI (unix socket, kept connections) → bookshop on HummingbirdApp
#   sluice-http         bookshop on HummingbirdApp, serving HTTP itself (SluiceHTTP)
#   hummingbird         the same router on Hummingbird's own server
#   hummingbird-nginx   nginx → HTTP (kept connections) → the same router on Hummingbird's server
# The application and nginx (one worker) on CPU 0, wrk on CPU 1, 64 connections, DURATION
# seconds (default 10) after a 2 s warm-up. Prints requests/s, p99 latency, the application's
# CPU time per request and its peak resident memory.
# Not a test: numbers depend on the machine. Needs nginx, wrk, taskset.
#     bash Benchmarks/Hummingbird/run.sh                    # all cases
#     DURATION=5 bash Benchmarks/Hummingbird/run.sh sluice-fastcgi hummingbird
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10}
CONNECTIONS=64
WORKERS=96          # FastCGI threads: more than nginx's kept connections (keepalive 64)
PACKAGE=Examples/Frameworks
SCRATCH=${SCRATCH:-$PACKAGE/.build-bench}

. Benchmarks/harness.sh
require_tools nginx wrk taskset curl
start_scratch sluice-hb-bench

echo "building (release)…" >&2
for product in BookshopServer BookshopOnHummingbird; do
    swift build -c release --package-path "$PACKAGE" --scratch-path "$SCRATCH" --product "$product" >&2
done
BIN="$(swift build -c release --package-path "$PACKAGE" --scratch-path "$SCRATCH" --show-bin-path)"

. Benchmarks/FastCGI/nginx-conf.sh

# nginx_proxy_conf DIR PORT UPSTREAM-PORT: nginx on 127.0.0.1:PORT passing every request to
# HTTP on 127.0.0.1:UPSTREAM-PORT over up to 64 kept connections.
nginx_proxy_conf() {
    nginx_conf "$1" "$2" "127.0.0.1:$3" on
    sed -i -e 's|include /etc/nginx/fastcgi_params;|proxy_http_version 1.1; proxy_set_header Connection "";|' \
        -e '/fastcgi_param SCRIPT_FILENAME/d' -e '/fastcgi_keep_conn on;/d' -e 's|fastcgi_pass app;|proxy_pass http://app;|' "$1/nginx.conf"
}

RESULTS=()
# run_case NAME URL-PORT READY NGINX-SETUP APP-COMMAND...: NGINX-SETUP is a function writing
# $TMP/nginx.conf for the given port, or - for no nginx.
run_case() {
    local name=$1 port=$2 ready=$3 setup=$4; shift 4
    if [ ${#SELECTED[@]} -gt 0 ] && [[ ! " ${SELECTED[*]} " =~ " $name " ]]; then return; fi
    rm -f "$TMP/app.sock"
    taskset -c 0 "$@" >"$TMP/$name.app.log" 2>&1 &
    local app=$!; PIDS+=("$app")
    wait_for "$ready"
    local server=
    if [ "$setup" != - ]; then
        "$setup" "$port"
        taskset -c 0 nginx -p "$TMP/" -c "$TMP/nginx.conf" -e "$TMP/error.log" &
        server=$!; PIDS+=("$server")
        wait_for "tcp:$port"
    fi
    local url="http://127.0.0.1:$port/books/2"
    curl -fsS "$url" | grep -q '"title":"Structure and Interpretation' || { echo "$name: wrong answer from $url" >&2; exit 1; }
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d2s "$url" >/dev/null
    local ticks_before; ticks_before=$(cpu_ticks "$app")
    local out; out=$(taskset -c 1 wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url")
    local ticks_after; ticks_after=$(cpu_ticks "$app")
    local rps requests p99 cpu rss errors
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    cpu=$(awk -v t=$((ticks_after - ticks_before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    rss=$(awk '/VmHWM/ {print $2}' /proc/"$app"/status)
    errors=$(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' <<<"$out")
    RESULTS+=("$name|$rps|$p99|$cpu µs|$((rss / 1024)) MiB|$errors")
    [ -z "$server" ] || { kill -TERM "$server"; wait "$server" 2>/dev/null || true; }
    kill -TERM "$app"; wait "$app" 2>/dev/null || true
    echo "$name: $rps req/s, p99 $p99, $cpu µs CPU/request $errors" >&2
}

fastcgi_setup() { nginx_conf "$TMP" "$1" "unix:$TMP/app.sock" on; }
proxy_setup() { nginx_proxy_conf "$TMP" "$1" "$APPPORT"; }

SELECTED=("$@")
FRONT=$(free_port)
APPPORT=$(free_port)
echo "$(date -u +%Y-%m-%d) $(uname -srm), $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
run_case sluice-fastcgi "$FRONT" "unix:$TMP/app.sock" fastcgi_setup \
    "$BIN/BookshopServer" --fastcgi "$TMP/app.sock" --socket-mode 666 --workers $WORKERS --log-level error
run_case sluice-http "$APPPORT" "tcp:$APPPORT" - "$BIN/BookshopServer" --http "127.0.0.1:$APPPORT" --log-level error
run_case hummingbird "$APPPORT" "tcp:$APPPORT" - "$BIN/BookshopOnHummingbird" "$APPPORT"
run_case hummingbird-nginx "$FRONT" "tcp:$APPPORT" proxy_setup "$BIN/BookshopOnHummingbird" "$APPPORT"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

printf '\n| case | requests/s | p99 | app CPU/request | app peak RSS | errors |\n|---|---|---|---|---|---|\n'
for row in "${RESULTS[@]}"; do echo "| ${row//|/ | } |"; done
