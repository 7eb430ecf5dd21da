#!/usr/bin/env bash
# Benchmarks/FastCGI/run.sh — nginx → Sluice's hello (--fastcgi) against nginx → a C libfcgi hello
# (hello.c here: the limit of this path), plus php-fpm and Go's net/http/fcgi when installed.
#
# Each case: the app and nginx (one worker) pinned to CPU 0, wrk pinned to CPU 1, 64
# connections, DURATION seconds (default 10) after a 2 s warm-up. Prints requests/s, p99
# latency, the app's resident memory (peak VmHWM) and the ratios to the C responder.
# Not a test: numbers depend on the machine. Needs nginx, wrk, libfcgi-dev, taskset.
#     bash Benchmarks/FastCGI/run.sh            # all cases
#     DURATION=5 bash Benchmarks/FastCGI/run.sh sluice-unix-keep c-unix-keep
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-10}
CONNECTIONS=64
WORKERS=96          # app threads: more than nginx's kept connections (keepalive 64 below)
# php-fpm's pool: a kept connection holds a child as it holds a Sluice or C worker thread, so
# the fair pool is as large as theirs; with fewer children than kept connections most
# connections wait (PHP_CHILDREN=8: p99 over a second, timeouts).
PHP_CHILDREN=${PHP_CHILDREN:-$WORKERS}
SCRATCH=${SCRATCH:-.build-fcgi}

. Benchmarks/harness.sh
require_tools nginx wrk taskset cc
start_scratch sluice-fcgi-bench
echo "$(describe_machine); load average $(load_average)"

echo "building (release)…" >&2
swift build -c release --scratch-path "$SCRATCH" --product hello >&2
SLUICE="$(swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/hello"
cc -O2 -o "$work/hello-c" Benchmarks/FastCGI/hello.c -lfcgi -lpthread

. Benchmarks/FastCGI/nginx-conf.sh

RESULTS=()
# run_case NAME UPSTREAM READY KEEP APP-COMMAND...
run_case() {
    local name=$1 upstream=$2 ready=$3 keep=$4; shift 4
    is_selected "$name" || return 0
    rm -f "$work/app.sock"
    start_on 0 "$work/$name.app.log" "$@"
    local app=$started
    wait_for "$ready"
    local port; port=$(free_port)
    nginx_conf "$work" "$port" "$upstream" "$keep"
    start_on 0 "$work/nginx.log" nginx -p "$work/" -c "$work/nginx.conf" -e "$work/error.log"
    local server=$started
    wait_for "tcp:$port"
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$port/hello" >/dev/null
    # The app's CPU time and peak RSS count its children (php-fpm's workers).
    measure_wrk "$app" taskset -c 1 wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$port/hello"
    RESULTS+=("$name|$rps|$p99|$(peak_rss_mib "$app") MiB|$cpu µs|$errors")
    kill -TERM "$server"; wait "$server" 2>/dev/null || true
    kill -TERM "$app"; wait "$app" 2>/dev/null || true
    echo "$name: $rps req/s, p99 $p99, $cpu µs CPU/request $errors" >&2
}

SELECTED=("$@")
SOCK="$work/app.sock"
APPPORT=$(free_port)
run_case sluice-unix-keep "unix:$SOCK" "unix:$SOCK" on "$SLUICE" --fastcgi "$SOCK" --socket-mode 666 --workers $WORKERS
run_case c-unix-keep "unix:$SOCK" "unix:$SOCK" on "$work/hello-c" "$SOCK" $WORKERS
run_case sluice-tcp-keep "127.0.0.1:$APPPORT" "tcp:$APPPORT" on "$SLUICE" --fastcgi "127.0.0.1:$APPPORT" --workers $WORKERS
run_case c-tcp-keep "127.0.0.1:$APPPORT" "tcp:$APPPORT" on "$work/hello-c" "127.0.0.1:$APPPORT" $WORKERS
run_case sluice-unix "unix:$SOCK" "unix:$SOCK" off "$SLUICE" --fastcgi "$SOCK" --socket-mode 666 --workers $WORKERS
run_case c-unix "unix:$SOCK" "unix:$SOCK" off "$work/hello-c" "$SOCK" $WORKERS

PHP_FPM=$(ls /usr/sbin/php-fpm* 2>/dev/null | head -1 || true)
if [ -n "$PHP_FPM" ]; then
    cat > "$work/php-fpm.conf" <<CONF
[global]
error_log = $work/php-fpm.log
daemonize = no
[www]
listen = $SOCK
listen.mode = 0666
pm = static
pm.max_children = $PHP_CHILDREN
CONF
    run_case php-fpm-unix-keep "unix:$SOCK" "unix:$SOCK" on "$PHP_FPM" -R -F -y "$work/php-fpm.conf"
else
    echo "php-fpm: not installed, skipped (apt-get install -y php-fpm)" >&2
fi
if command -v go >/dev/null; then
    mkdir -p "$work/gofcgi"
    cat > "$work/gofcgi/main.go" <<'GO'
package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/fcgi"
	"os"
)

func main() {
	listener, err := net.Listen("unix", os.Args[1])
	if err != nil { panic(err) }
	os.Chmod(os.Args[1], 0666)
	fcgi.Serve(listener, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "Hello from %s\n", r.URL.Path)
	}))
}
GO
    (cd "$work/gofcgi" && GOFLAGS=-mod=mod go mod init gofcgi >/dev/null 2>&1 && go build -o hello-go .)
    run_case go-unix-keep "unix:$SOCK" "unix:$SOCK" on "$work/gofcgi/hello-go" "$SOCK"
else
    echo "go: not installed, skipped (apt-get install -y golang-go)" >&2
fi

echo "load average after: $(load_average)"
echo
echo "| case | requests/s | p99 | app peak RSS | app CPU/request | errors |"
echo "|---|---|---|---|---|---|"
for row in "${RESULTS[@]}"; do echo "| ${row//|/ | } |"; done
rate() { for row in "${RESULTS[@]}"; do [ "${row%%|*}" = "$1" ] && { r=${row#*|}; echo "${r%%|*}"; return; }; done; echo ""; }
echo
for pair in "sluice-unix-keep c-unix-keep" "sluice-tcp-keep c-tcp-keep" "sluice-unix c-unix" "sluice-unix-keep php-fpm-unix-keep" "sluice-unix-keep go-unix-keep"; do
    set -- $pair
    a=$(rate "$1"); b=$(rate "$2")
    [ -n "$a" ] && [ -n "$b" ] && echo "$1 / $2 = $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", a / b}')"
done
exit 0
