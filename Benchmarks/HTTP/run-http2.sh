#!/usr/bin/env bash
# HTTP/2 and TLS throughput of the Sluice hello served standalone, against the same hello on
# raw swift-nio-http2 (the limit for a NIO server) and on Hummingbird 2's HTTP/2 server (not a
# test: numbers).
#
# Builds Examples/Hello (the hello product, served with --tls-certificate and with --h2c) and
# Benchmarks/HTTP/Peers (a package of its own, so that Hummingbird builds only here) in release
# mode, makes a certificate with openssl, starts every server twice — TLS and h2c — pinned to
# CPU 0 (one event loop each: NIO's singleton group follows the CPUs the process may use), and
# runs the clients pinned to CPU 1, the servers taking turns at each measurement:
#
#   h2 over TLS   h2load -c 4 -m 16 (64 streams in flight), DURATION seconds
#   h2c           the same, cleartext by prior knowledge
#   http/1.1+TLS  h2load --h1 -c 64, DURATION seconds
#   handshakes    openssl s_time -new: full TLS handshakes per second, one client, DURATION seconds
#
# Prints requests (or handshakes) per second, the server's CPU time per request (user + system
# from /proc: steadier than requests/s when other work shares the machine), and the ratios of
# Sluice to the peers by both measures.
#
#   Benchmarks/HTTP/run-http2.sh                  # DURATION=10 seconds per run by default
#   SERVERS="sluice nio" Benchmarks/HTTP/run-http2.sh
#
# Needs h2load (nghttp2-client), openssl, curl and taskset.
set -euo pipefail
cd "$(dirname "$0")/../.."

measures=(${MEASURES:-h2-tls h2c h1-tls handshakes})
port=${PORT:-18440}
. Benchmarks/HTTP/build.sh
require_tools h2load openssl curl taskset
echo "$(describe_machine); load average $(load_average)"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

command_for() { # server-mode (mode: tls|h2c), port -> command line
    case $1 in
    sluice-tls) echo "$scratch/release/hello --http 127.0.0.1:$2 --tls-certificate $work/cert.pem --tls-key $work/key.pem" ;;
    sluice-h2c) echo "$scratch/release/hello --http 127.0.0.1:$2 --h2c" ;;
    nio-tls) echo "$peers_scratch/release/NIOHTTP2Hello $2 tls $work/cert.pem $work/key.pem" ;;
    nio-h2c) echo "$peers_scratch/release/NIOHTTP2Hello $2 h2c" ;;
    hummingbird-tls) echo "$peers_scratch/release/HummingbirdHTTP2Hello $2 tls $work/cert.pem $work/key.pem" ;;
    hummingbird-h2c) echo "$peers_scratch/release/HummingbirdHTTP2Hello $2 h2c" ;;
    esac
}

start_servers $(for server in "${servers[@]}"; do echo "$server-tls $server-h2c"; done)
for server in "${servers[@]}"; do
    { wait_for "https://127.0.0.1:${ports[$server-tls]}/hello" -k --http2 \
        && curl -fsSk --http2 "https://127.0.0.1:${ports[$server-tls]}/hello" | grep -q "Hello from /hello"; } \
        || { echo "$server (TLS) did not answer"; cat "$work/$server-tls.log"; exit 1; } >&2
    curl -fsS --http2-prior-knowledge "http://127.0.0.1:${ports[$server-h2c]}/hello" | grep -q "Hello from /hello" \
        || { echo "$server (h2c) did not answer"; cat "$work/$server-h2c.log"; exit 1; } >&2
    taskset -c "$client_cpu" h2load -D 2 -c 4 -m 16 "https://127.0.0.1:${ports[$server-tls]}/hello" >/dev/null
done

measure() { # measure, server: runs the client, its output in $work/out.txt
    case $1 in
    h2-tls) taskset -c "$client_cpu" h2load -D "$duration" -c 4 -m 16 "https://127.0.0.1:${ports[$2-tls]}/hello" >"$work/out.txt" ;;
    h2c) taskset -c "$client_cpu" h2load -D "$duration" -c 4 -m 16 "http://127.0.0.1:${ports[$2-h2c]}/hello" >"$work/out.txt" ;;
    h1-tls) taskset -c "$client_cpu" h2load --h1 -D "$duration" -c 64 "https://127.0.0.1:${ports[$2-tls]}/hello" >"$work/out.txt" ;;
    handshakes) taskset -c "$client_cpu" openssl s_time -connect "127.0.0.1:${ports[$2-tls]}" -new -time "$duration" >"$work/out.txt" 2>&1 ;;
    esac
}

: >"$work/results"
for what in "${measures[@]}"; do
    for server in "${servers[@]}"; do
        pid=${pids[$server-$([ "$what" = h2c ] && echo h2c || echo tls)]}
        cpu_before=$(cpu_ticks "$pid")
        measure "$what" "$server"
        cpu_after=$(cpu_ticks "$pid")
        if [ "$what" = handshakes ]; then
            # "N connections in Ts; R connections/user sec": N over the wall-clock duration.
            count=$(awk '/connections in [0-9.]+s/ { print $1; exit }' "$work/out.txt")
            rate=$(awk -v n="${count:-0}" -v s="$duration" 'BEGIN { printf "%.1f", n / s }')
        else
            rate=$(awk '/^finished in/ { gsub(",", "", $4); print $4 }' "$work/out.txt")
            count=$(awk '/^requests:/ { print $8 }' "$work/out.txt")
        fi
        cpu=$(cpu_per_request $((cpu_after - cpu_before)) "${count:-0}")
        echo "$what $server $rate $cpu" >>"$work/results"
        printf '%-11s %-12s %10s per s   CPU %8s us each\n' "$what" "$server" "$rate" "$cpu" >&2
    done
done

echo
echo "load average after $(load_average); servers on CPU $server_cpu, clients on CPU $client_cpu, ${duration}s per run"
printf '| %-10s | %-11s | %10s | %12s |\n' measure server "per second" "CPU us each"
printf '|------------|-------------|------------|--------------|\n'
awk '{ printf "| %-10s | %-11s | %10s | %12s |\n", $1, $2, $3, $4 }' "$work/results"
echo
print_ratios "$work/results" "per second"
