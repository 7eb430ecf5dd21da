#!/usr/bin/env bash
# WebSocket echo of the Sluice example served standalone (Examples/Echo), against the same echo on
# hummingbird-websocket (not a test: numbers).
#
# Builds Examples/Echo (the echo product) and HummingbirdWebSocketEcho from Benchmarks/HTTP/Peers
# (a package of its own, so that Hummingbird builds only here) in release mode, and wsload, the
# load client in Benchmarks/HTTP/wsload (Go, standard library only: one goroutine per
# connection, so the client is not what runs out first). Starts both servers pinned to CPU 0 (one
# event loop each: NIO's singleton group follows the CPUs the process may use) and runs wsload
# pinned to CPU 1, the servers taking turns:
#
#   idle   the cost of an idle WebSocket: the server's resident set with IDLE (1000) connections
#          open, each having echoed one message, minus its resident set before, divided by IDLE
#          (user-space memory; the kernel's socket buffers are not in it)
#   echo   CONNECTIONS (1000) connections, each sending a MESSAGE_BYTES (32) byte text message
#          and waiting for its echo before sending the next, for DURATION seconds: messages per
#          second, p50 and p99 latency, the server's CPU time per message (user + system from
#          /proc: steadier than messages/s when other work shares the machine), and the
#          server's resident set every SAMPLE_EVERY (30) seconds, to show whether it stays flat
#
# Prints a table, the resident-set samples and the ratios of Sluice to the peer. wsload reports
# its own CPU use: near 100% of its CPU, the client and not the server set the rate.
#
#   Benchmarks/HTTP/run-websocket.sh                  # DURATION=600: the issue's 10-minute run
#   DURATION=10 CONNECTIONS=200 Benchmarks/HTTP/run-websocket.sh
#
# Needs go, curl and taskset; installs golang-go with apt-get when go is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=${DURATION:-600}
connections=${CONNECTIONS:-1000}
idle=${IDLE:-1000}
message_bytes=${MESSAGE_BYTES:-32}
sample_every=${SAMPLE_EVERY:-30}
servers=(${SERVERS:-sluice hummingbird})
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}
port=${PORT:-18460}

if ! command -v go >/dev/null; then
    echo "installing golang-go (for the load client)..." >&2
    $([ "$(id -u)" = 0 ] || echo sudo) apt-get install -y golang-go >/dev/null
fi
for tool in curl taskset; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install -y curl util-linux)" >&2; exit 1; }
done
# Each connection is a descriptor in the server and one in the client, which inherit this limit.
ulimit -n "$(ulimit -Hn)"
needed=$(( (connections > idle ? connections : idle) + 64 ))
[ "$(ulimit -n)" -ge "$needed" ] || { echo "open-file limit $(ulimit -n) is below $needed" >&2; exit 1; }

. Benchmarks/harness.sh
sluice_product=echo peer_products=HummingbirdWebSocketEcho
. Benchmarks/HTTP/build.sh
echo "building wsload..." >&2
(cd Benchmarks/HTTP/wsload && GOPROXY=off GOFLAGS=-mod=mod go build -o "$work/wsload" .)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

command_for() { # server, port -> command line
    case $1 in
    sluice) echo "$scratch/release/echo --http 127.0.0.1:$2" ;;
    hummingbird) echo "$peers_scratch/release/HummingbirdWebSocketEcho $2" ;;
    esac
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
mib() { awk -v kib="$1" 'BEGIN { printf "%.1f", kib / 1024 }'; }
field() { # key, file -> the value of key=value in wsload's line
    tr ' ' '\n' <"$2" | awk -F= -v key="$1" '$1 == key { print $2 }'
}
client_for() { # server -> wsload's command line, without -c and -d
    echo "taskset -c $client_cpu $work/wsload -url ws://127.0.0.1:${ports[$1]}/ -size $message_bytes"
}

declare -A idle_bytes rate p50 p99 cpu client rss_samples rss_after
start_servers "${servers[@]}"
for server in "${servers[@]}"; do
    wait_for "tcp:${ports[$server]}"
    curl -fsS "http://127.0.0.1:${ports[$server]}/" | grep -q "A WebSocket echo" \
        || { echo "$server did not answer"; cat "$work/$server.log"; exit 1; } >&2
    $(client_for "$server") -c 10 -d 1s >/dev/null
done

# Idle connections first, on servers that have served only the warm-up, so that memory freed by
# a large run does not hide what new connections cost.
for server in "${servers[@]}"; do
    before=$(rss_kib "${pids[$server]}")
    $(client_for "$server") -c "$idle" -idle >"$work/idle.txt" 2>&1 &
    holder=$!
    for _ in $(seq 600); do
        grep -qs '^ready' "$work/idle.txt" && break
        kill -0 "$holder" 2>/dev/null || break
        sleep 0.1
    done
    grep -qs '^ready' "$work/idle.txt" || { echo "$server: idle connections failed"; cat "$work/idle.txt"; exit 1; } >&2
    sleep 1
    after=$(rss_kib "${pids[$server]}")
    kill -TERM "$holder"
    wait "$holder" || true
    idle_bytes[$server]=$(( (after - before) * 1024 / idle ))
    printf 'idle  %-12s %7s bytes per connection (RSS %s -> %s MiB with %s open)\n' "$server" \
        "${idle_bytes[$server]}" "$(mib "$before")" "$(mib "$after")" "$idle" >&2
    sleep 1
done

for server in "${servers[@]}"; do
    $(client_for "$server") -c "$connections" -d 2s >/dev/null
done
for server in "${servers[@]}"; do
    pid=${pids[$server]}
    cpu_before=$(cpu_ticks "$pid")
    $(client_for "$server") -c "$connections" -d "${duration}s" >"$work/echo.txt" 2>"$work/echo.err" &
    runner=$!
    started=$SECONDS next=$sample_every samples=""
    while kill -0 "$runner" 2>/dev/null; do
        sleep 1
        if [ $((SECONDS - started)) -ge "$next" ] && kill -0 "$runner" 2>/dev/null; then
            samples="$samples $(mib "$(rss_kib "$pid")")"
            printf 'echo  %-12s %5s s  RSS %s MiB\n' "$server" "$next" "${samples##* }" >&2
            next=$((next + sample_every))
        fi
    done
    wait "$runner" || { echo "$server: the echo run failed"; cat "$work/echo.err"; exit 1; } >&2
    cpu_after=$(cpu_ticks "$pid")
    rss_samples[$server]=${samples# }
    rss_after[$server]=$(mib "$(rss_kib "$pid")")
    rate[$server]=$(field rate "$work/echo.txt")
    p50[$server]=$(awk -v us="$(field p50_us "$work/echo.txt")" 'BEGIN { printf "%.2f", us / 1000 }')
    p99[$server]=$(awk -v us="$(field p99_us "$work/echo.txt")" 'BEGIN { printf "%.2f", us / 1000 }')
    client[$server]=$(awk -v c="$(field client_cpu "$work/echo.txt")" 'BEGIN { printf "%.0f%%", c * 100 }')
    cpu[$server]=$(awk -v ticks=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" -v n="$(field messages "$work/echo.txt")" \
        'BEGIN { printf "%.1f", (n > 0 ? ticks / hz * 1e6 / n : 0) }')
    printf 'echo  %-12s %10s messages/s   p50 %s ms   p99 %s ms   CPU %s us each   client CPU %s   errors %s\n' \
        "$server" "${rate[$server]}" "${p50[$server]}" "${p99[$server]}" "${cpu[$server]}" "${client[$server]}" \
        "$(field errors "$work/echo.txt")" >&2
done

echo
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs; load before: $load_before; servers on CPU $server_cpu, client on CPU $client_cpu; $connections connections, $message_bytes-byte text messages, ${duration}s per server; $idle idle connections"
printf '| %-11s | %10s | %7s | %7s | %11s | %10s | %15s |\n' server "messages/s" "p50 ms" "p99 ms" "CPU us each" "client CPU" "idle bytes each"
printf '|-------------|------------|---------|---------|-------------|------------|-----------------|\n'
for server in "${servers[@]}"; do
    printf '| %-11s | %10s | %7s | %7s | %11s | %10s | %15s |\n' "$server" "${rate[$server]}" "${p50[$server]}" \
        "${p99[$server]}" "${cpu[$server]}" "${client[$server]}" "${idle_bytes[$server]}"
done
echo
for server in "${servers[@]}"; do
    echo "$server RSS (MiB) every ${sample_every}s of the echo run: ${rss_samples[$server]:-none (a shorter run)}; after its clients closed: ${rss_after[$server]}"
done
if [ -n "${rate[sluice]:-}" ] && [ -n "${rate[hummingbird]:-}" ]; then
    awk -v r1="${rate[sluice]}" -v r2="${rate[hummingbird]}" -v c1="${cpu[sluice]}" -v c2="${cpu[hummingbird]}" \
        -v l1="${p99[sluice]}" -v l2="${p99[hummingbird]}" -v i1="${idle_bytes[sluice]}" -v i2="${idle_bytes[hummingbird]}" 'BEGIN {
        printf "Sluice = %.2f x hummingbird-websocket (messages per second); %.2f x (per CPU second); p99 %.2f x; idle connection %.2f x the bytes\n",
            r1 / r2, (c1 > 0 ? c2 / c1 : 0), (l2 > 0 ? l1 / l2 : 0), (i2 > 0 ? i1 / i2 : 0)
    }'
fi
