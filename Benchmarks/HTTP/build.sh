# Sourced by run.sh, run-http2.sh and run-websocket.sh, from the package's root: builds the
# example ($sluice_product, hello unless the script sets it) and the peers ($peer_products, all
# unless set) in release mode, makes $work (removed at exit, after every server the script
# started is stopped), and defines cpu_ticks.

scratch=${SCRATCH:-.build-bench-http}
peers_scratch=${PEERS_SCRATCH:-$PWD/.build-http-peers}
work=$(mktemp -d /tmp/sluice-http-bench-XXXXXX)
cleanup() {
    for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

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

cpu_ticks() { # pid -> user + system CPU time in clock ticks
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}
