# Sourced by run.sh, run-http2.sh and run-websocket.sh, from the package's root: the settings
# they take from the environment (a script may set duration and servers first), then builds
# the example ($sluice_product, hello unless the script sets it) and the peers ($peer_products,
# all unless set) in release mode into $scratch and $peers_scratch, with the scratch directory
# Benchmarks/harness.sh makes ($work; every server added to PIDS is stopped at exit).

. Benchmarks/harness.sh
duration=${duration:-${DURATION:-10}}
[ -n "${servers+set}" ] || servers=(${SERVERS:-sluice nio hummingbird})
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}
scratch=${SCRATCH:-.build-bench-http}
peers_scratch=${PEERS_SCRATCH:-$PWD/.build-http-peers}
start_scratch sluice-http-bench

sluice_product=${sluice_product:-hello}
echo "building $sluice_product (release)..." >&2
swift build -c release --scratch-path "$scratch" --product "$sluice_product" >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
echo "building the peers (release; Hummingbird takes minutes the first time)..." >&2
for peer in ${peer_products:-all}; do
    if [ "$peer" = all ]; then product=(); else product=(--product "$peer"); fi
    swift build -c release --package-path Benchmarks/HTTP/Peers --scratch-path "$peers_scratch" "${product[@]}" \
        >>"$work/peers.log" 2>&1 || { cat "$work/peers.log" >&2; exit 1; }
done

# start_servers NAME...: starts each server (the script's `command_for NAME PORT` gives its
# command line) on $server_cpu, on ports from $port up, its output in $work/NAME.log; sets
# ports[NAME] and pids[NAME].
declare -A pids ports
start_servers() {
    local name index=0
    for name in "$@"; do
        ports[$name]=$((port + index))
        index=$((index + 1))
        start_on "$server_cpu" "$work/$name.log" $(command_for "$name" "${ports[$name]}")
        pids[$name]=$started
    done
}
