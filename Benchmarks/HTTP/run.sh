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

duration=${DURATION:-10}
connections=(${CONNECTIONS:-8 64 256})
servers=(${SERVERS:-sluice nio hummingbird})
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}
port=${PORT:-18080}
. Benchmarks/HTTP/build.sh

command_for() { # server name, port -> command line
    case $1 in
    sluice) echo "$scratch/release/hello --http 127.0.0.1:$2" ;;
    nio) echo "$peers_scratch/release/NIOHello $2" ;;
    hummingbird) echo "$peers_scratch/release/HummingbirdHello $2" ;;
    esac
}

: >"$work/results"
declare -A pids ports
index=0
for server in "${servers[@]}"; do
    ports[$server]=$((port + index))
    index=$((index + 1))
    taskset -c "$server_cpu" $(command_for "$server" "${ports[$server]}") >"$work/$server.log" 2>&1 &
    pids[$server]=$!
done
for server in "${servers[@]}"; do
    for _ in $(seq 100); do
        curl -fsS "http://127.0.0.1:${ports[$server]}/hello" >/dev/null 2>&1 && break
        sleep 0.1
    done
    curl -fsS "http://127.0.0.1:${ports[$server]}/hello" | grep -q "Hello from /hello" \
        || { echo "$server did not answer"; cat "$work/$server.log"; exit 1; } >&2
    taskset -c "$client_cpu" wrk -t1 -c64 -d3s "http://127.0.0.1:${ports[$server]}/hello" >/dev/null
done
# The servers take turns at each connection count, so that load from elsewhere on a shared
# machine weighs on all of them alike.
for count in "${connections[@]}"; do
    for server in "${servers[@]}"; do
        cpu_before=$(cpu_ticks "${pids[$server]}")
        taskset -c "$client_cpu" wrk -t1 -c"$count" -d"${duration}s" --latency "http://127.0.0.1:${ports[$server]}/hello" >"$work/wrk.txt"
        cpu_after=$(cpu_ticks "${pids[$server]}")
        requests=$(awk '/requests in/ { print $1 }' "$work/wrk.txt")
        cpu_per_request=$(awk -v ticks=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
            'BEGIN { printf "%.1f", (n > 0 ? ticks / hz * 1e6 / n : 0) }')
        rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt")
        p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")
        errors=$(awk '/Socket errors|Non-2xx/ { $1 = $1; printf "%s; ", $0 }' "$work/wrk.txt")
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/${pids[$server]}/status")
        echo "$server $count $rps $p99 $rss $cpu_per_request ${errors:-none}" >>"$work/results"
        printf '%-12s %4s connections: %10s req/s  p99 %-9s RSS %6s KiB  CPU %6s us/request  errors: %s\n' \
            "$server" "$count" "$rps" "$p99" "$rss" "$cpu_per_request" "${errors:-none}" >&2
    done
done

echo
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)); server on CPU $server_cpu, wrk on CPU $client_cpu, ${duration}s per run"
printf '| %-11s | %5s | %10s | %8s | %9s | %12s |\n' server conns "req/s" p99 "RSS KiB" "CPU us/req"
printf '|-------------|-------|------------|----------|-----------|--------------|\n'
awk '{ printf "| %-11s | %5s | %10s | %8s | %9s | %12s |\n", $1, $2, $3, $4, $5, $6 }' "$work/results"
echo
for count in "${connections[@]}"; do
    awk -v count="$count" '
        $2 == count { rps[$1] = $3; cpu[$1] = $6 }
        END {
            line = "at " count " connections: Sluice"
            if (rps["sluice"] && rps["nio"]) line = line sprintf(" = %.2f x raw NIO", rps["sluice"] / rps["nio"])
            if (rps["sluice"] && rps["hummingbird"]) line = line sprintf(", %.2f x Hummingbird", rps["sluice"] / rps["hummingbird"])
            line = line " (requests/s);"
            if (cpu["sluice"] && cpu["nio"]) line = line sprintf(" %.2f x raw NIO", cpu["nio"] / cpu["sluice"])
            if (cpu["sluice"] && cpu["hummingbird"]) line = line sprintf(", %.2f x Hummingbird", cpu["hummingbird"] / cpu["sluice"])
            print line " (requests per CPU second)"
        }' "$work/results"
done
