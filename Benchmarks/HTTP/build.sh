# Sourced by run.sh and run-http2.sh, from the package's root: the settings both take from the
# environment, then builds the hello example and the peers in release mode into $scratch and
# $peers_scratch, with the scratch directory Benchmarks/harness.sh makes ($work; every server
# added to PIDS is stopped at exit).

. Benchmarks/harness.sh
duration=${DURATION:-10}
servers=(${SERVERS:-sluice nio hummingbird})
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}
scratch=${SCRATCH:-.build-bench-http}
peers_scratch=${PEERS_SCRATCH:-$PWD/.build-http-peers}
start_scratch sluice-http-bench

echo "building hello (release)..." >&2
swift build -c release --scratch-path "$scratch" --product hello >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
echo "building the peers (release; Hummingbird takes minutes the first time)..." >&2
swift build -c release --package-path Benchmarks/HTTP/Peers --scratch-path "$peers_scratch" >"$work/peers.log" 2>&1 \
    || { cat "$work/peers.log" >&2; exit 1; }
