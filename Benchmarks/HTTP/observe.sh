#!/usr/bin/env bash
# What the access log, request ids and metrics cost a hello request, side by side (issue 18:
# "measured side by side, the access log and metrics add under 5 % to a hello request's CPU").
# Not a test: numbers.
#
# Four servers of the same hello, standalone over HTTP/1.1, built in release mode:
#   bare      hello --access-log off --request-id-header ""   (nothing observed)
#   log       hello                                           (the defaults: Combined access log
#                                                              and request ids)
#   metrics   PrometheusHello --access-log off --request-id-header ""   (swift-metrics through
#                                                              swift-prometheus, nothing scraped)
#   all       PrometheusHello                                 (access log, request ids, metrics)
# Each is pinned to the same CPU (SERVER_CPU, default 0) and wrk to another (CLIENT_CPU, 1); the
# access log goes to a file, as a journal or a log file would take it. After a warm-up the
# servers take turns at each connection count, so that load from elsewhere weighs on all of
# them alike. Prints requests/s, p99, CPU time per request (user + system, from /proc: steadier
# than requests/s on a shared machine) and each server's ratios to bare.
#
#   Benchmarks/HTTP/observe.sh                     # DURATION=10 seconds per run, 64 connections
#   DURATION=3 CONNECTIONS="8 64" Benchmarks/HTTP/observe.sh
#
# Needs wrk, curl and taskset (apt-get install -y wrk curl util-linux).
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=${DURATION:-10}
connections=(${CONNECTIONS:-64})
servers=(bare log metrics all)
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}
port=${PORT:-18180}
scratch=${SCRATCH:-.build-bench-http}

. Benchmarks/harness.sh
require_tools wrk curl taskset
start_scratch sluice-observe-bench

echo "building hello and PrometheusHello (release)..." >&2
for product in hello PrometheusHello; do
    swift build -c release --scratch-path "$scratch" --product "$product" >"$work/build.log" 2>&1 \
        || { cat "$work/build.log" >&2; exit 1; }
done
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)

start_server() { # server, port: starts it pinned, its output (the access log) to a file
    local program=hello quiet=()
    case $1 in
    bare) quiet=(--access-log off --request-id-header "") ;;
    metrics) program=PrometheusHello quiet=(--access-log off --request-id-header "") ;;
    all) program=PrometheusHello ;;
    esac
    # Each exporter on an address of its own, off the benchmark's ports.
    SLUICE_METRICS_PORT=$(($2 + 100)) taskset -c "$server_cpu" \
        "$bin/$program" --http "127.0.0.1:$2" "${quiet[@]}" >"$work/$1.log" 2>&1 &
    pids[$1]=$!
    PIDS+=("$!")
}

declare -A pids ports
index=0
for server in "${servers[@]}"; do
    ports[$server]=$((port + index))
    start_server "$server" "${ports[$server]}"
    index=$((index + 1))
done
for server in "${servers[@]}"; do
    wait_for "tcp:${ports[$server]}"
    curl -fsS "http://127.0.0.1:${ports[$server]}/hello" | grep -q "Hello from /hello" \
        || { echo "$server did not answer"; cat "$work/$server.log"; exit 1; } >&2
    taskset -c "$client_cpu" wrk -t1 -c64 -d2s "http://127.0.0.1:${ports[$server]}/hello" >/dev/null
done
# The access log really is written: a line per request in log's and all's output.
for server in log all; do
    grep -q '"GET /hello HTTP/1.1" 200' "$work/$server.log" || { echo "$server wrote no access log line" >&2; exit 1; }
done

: >"$work/results"
for count in "${connections[@]}"; do
    for server in "${servers[@]}"; do
        cpu_before=$(cpu_ticks "${pids[$server]}")
        taskset -c "$client_cpu" wrk -t1 -c"$count" -d"${duration}s" --latency "http://127.0.0.1:${ports[$server]}/hello" >"$work/wrk.txt"
        cpu_after=$(cpu_ticks "${pids[$server]}")
        requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
        cpu_per_request=$(awk -v ticks=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
            'BEGIN { printf "%.2f", (n > 0 ? ticks / hz * 1e6 / n : 0) }')
        rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt")
        p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")
        errors=$(awk '/Socket errors|Non-2xx/ { $1 = $1; printf "%s; ", $0 }' "$work/wrk.txt")
        echo "$server $count $rps $p99 $cpu_per_request" >>"$work/results"
        printf '%-8s %4s connections: %10s req/s  p99 %-9s CPU %7s us/request  errors: %s\n' \
            "$server" "$count" "$rps" "$p99" "$cpu_per_request" "${errors:-none}" >&2
    done
done

echo
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); HEAD $(git rev-parse --short HEAD); $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg); server on CPU $server_cpu, wrk on CPU $client_cpu, ${duration}s per run"
printf '| %-7s | %5s | %10s | %8s | %10s | %13s | %14s |\n' server conns "req/s" p99 "CPU us/req" "req/s vs bare" "CPU/req vs bare"
printf '|---------|-------|------------|----------|------------|---------------|----------------|\n'
awk '
    { server[NR] = $1; conns[NR] = $2; rps[NR] = $3; p99[NR] = $4; cpu[NR] = $5 }
    $1 == "bare" { bare_rps[$2] = $3; bare_cpu[$2] = $5 }
    END {
        for (i = 1; i <= NR; i++) {
            c = conns[i]
            printf "| %-7s | %5s | %10s | %8s | %10s | %13s | %14s |\n", server[i], c, rps[i], p99[i], cpu[i],
                (bare_rps[c] > 0 ? sprintf("%.3f", rps[i] / bare_rps[c]) : "-"),
                (bare_cpu[c] > 0 ? sprintf("%+.1f %%", (cpu[i] / bare_cpu[c] - 1) * 100) : "-")
        }
    }' "$work/results"
