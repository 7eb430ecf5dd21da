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
# $work/nginx.conf for the given port, or - for no nginx.
run_case() {
    local name=$1 port=$2 ready=$3 setup=$4; shift 4
    is_selected "$name" || return 0
    rm -f "$work/app.sock"
    start_on 0 "$work/$name.app.log" "$@"
    local app=$started
    wait_for "$ready"
    local server=
    if [ "$setup" != - ]; then
        "$setup" "$port"
        start_on 0 "$work/nginx.log" nginx -p "$work/" -c "$work/nginx.conf" -e "$work/error.log"
        server=$started
        wait_for "tcp:$port"
    fi
    local url="http://127.0.0.1:$port/books/2"
    curl -fsS "$url" | grep -q '"title":"Structure and Interpretation' || { echo "$name: wrong answer from $url" >&2; exit 1; }
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d2s "$url" >/dev/null
    measure_wrk "$app" taskset -c 1 wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url"
    RESULTS+=("$name|$rps|$p99|$cpu µs|$(peak_rss_mib "$app") MiB|$errors")
    [ -z "$server" ] || { kill -TERM "$server"; wait "$server" 2>/dev/null || true; }
    kill -TERM "$app"; wait "$app" 2>/dev/null || true
    echo "$name: $rps req/s, p99 $p99, $cpu µs CPU/request $errors" >&2
}

fastcgi_setup() { nginx_conf "$work" "$1" "unix:$work/app.sock" on; }
proxy_setup() { nginx_proxy_conf "$work" "$1" "$APPPORT"; }

SELECTED=("$@")
FRONT=$(free_port)
APPPORT=$(free_port)
echo "$(describe_machine); load average $(load_average)"
run_case sluice-fastcgi "$FRONT" "unix:$work/app.sock" fastcgi_setup \
    "$BIN/BookshopServer" --fastcgi "$work/app.sock" --socket-mode 666 --workers $WORKERS --log-level error
run_case sluice-http "$APPPORT" "tcp:$APPPORT" - "$BIN/BookshopServer" --http "127.0.0.1:$APPPORT" --log-level error
run_case hummingbird "$APPPORT" "tcp:$APPPORT" - "$BIN/BookshopOnHummingbird" "$APPPORT"
run_case hummingbird-nginx "$FRONT" "tcp:$APPPORT" proxy_setup "$BIN/BookshopOnHummingbird" "$APPPORT"
echo "load average after: $(load_average)"

printf '\n| case | requests/s | p99 | app CPU/request | app peak RSS | errors |\n|---|---|---|---|---|---|\n'
for row in "${RESULTS[@]}"; do echo "| ${row//|/ | } |"; done
