#!/usr/bin/env bash
# Requests per second of the Sluice hello served standalone, against the same hello on raw
# SwiftNIO (NIOHTTP1: the limit for a NIO server) and on Hummingbird 2 (not a test: numbers).
#
# Builds Examples/Hello (the hello product, served with --http) and Benchmarks/HTTP/Peers (a package of its own, so Hummingbird
# builds only here) in release mode, starts the three servers pinned to CPU 0, warms each up,
# then runs wrk pinned to CPU 1 at 8, 64 and 256 connections, the servers taking turns at each
# count. Prints requests/s, p99 latency, the server's resident set after each run, the server's
# CPU time per request (user + system, from /proc: steadier than requests/s when other work
# shares the machine), and the ratios of Sluice to the peers by both measures.
#
#   Benchmarks/HTTP/run.sh                  # DURATION=10 seconds per run by default
#   SERVERS="sluice nio" Benchmarks/HTTP/run.sh
#
# Needs wrk, curl and taskset (apt-get install -y wrk curl util-linux).
set -euo pipefail
cd "$(dirname "$0")/../.."

connections=(${CONNECTIONS:-8 64 256})
port=${PORT:-18080}
. Benchmarks/HTTP/build.sh
require_tools wrk curl taskset
echo "$(describe_machine); load average $(load_average)"

command_for() { # server name, port -> command line
    case $1 in
    sluice) echo "$scratch/release/hello --http 127.0.0.1:$2" ;;
    nio) echo "$peers_scratch/release/NIOHello $2" ;;
    hummingbird) echo "$peers_scratch/release/HummingbirdHello $2" ;;
    esac
}

: >"$work/results"
start_servers "${servers[@]}"
for server in "${servers[@]}"; do
    { wait_for "http://127.0.0.1:${ports[$server]}/hello" \
        && curl -fsS "http://127.0.0.1:${ports[$server]}/hello" | grep -q "Hello from /hello"; } \
        || { echo "$server did not answer"; cat "$work/$server.log"; exit 1; } >&2
    taskset -c "$client_cpu" wrk -t1 -c64 -d3s "http://127.0.0.1:${ports[$server]}/hello" >/dev/null
done
# The servers take turns at each connection count, so that load from elsewhere on a shared
# machine weighs on all of them alike.
for count in "${connections[@]}"; do
    for server in "${servers[@]}"; do
        measure_wrk "${pids[$server]}" taskset -c "$client_cpu" wrk -t1 -c"$count" -d"${duration}s" --latency \
            "http://127.0.0.1:${ports[$server]}/hello"
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/${pids[$server]}/status")
        echo "$count $server $rps $cpu $p99 $rss ${errors:-none}" >>"$work/results"
        printf '%-12s %4s connections: %10s req/s  p99 %-9s RSS %6s KiB  CPU %6s us/request  errors: %s\n' \
            "$server" "$count" "$rps" "$p99" "$rss" "$cpu" "${errors:-none}" >&2
    done
done

echo
echo "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); load average after $(load_average); server on CPU $server_cpu, wrk on CPU $client_cpu, ${duration}s per run"
printf '| %-11s | %5s | %10s | %8s | %9s | %12s |\n' server conns "req/s" p99 "RSS KiB" "CPU us/req"
printf '|-------------|-------|------------|----------|-----------|--------------|\n'
awk '{ printf "| %-11s | %5s | %10s | %8s | %9s | %12s |\n", $2, $1, $3, $5, $6, $4 }' "$work/results"
echo
print_ratios "$work/results" "requests/s" " connections"
