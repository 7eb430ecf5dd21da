# Sourced by run.sh and run-http2.sh, from the package's root: builds the hello example and the
# peers in release mode, makes $work (removed at exit, after every server the script started is
# stopped), and defines cpu_ticks.

scratch=${SCRATCH:-.build-bench-http}
peers_scratch=${PEERS_SCRATCH:-$PWD/.build-http-peers}
work=$(mktemp -d /tmp/sluice-http-bench-XXXXXX)
cleanup() {
    for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "building hello (release)..." >&2
swift build -c release --scratch-path "$scratch" --product hello >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
echo "building the peers (release; Hummingbird takes minutes the first time)..." >&2
swift build -c release --package-path Benchmarks/HTTP/Peers --scratch-path "$peers_scratch" >"$work/peers.log" 2>&1 \
    || { cat "$work/peers.log" >&2; exit 1; }

cpu_ticks() { # pid -> user + system CPU time in clock ticks
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}
