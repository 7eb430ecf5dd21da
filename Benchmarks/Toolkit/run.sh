#!/usr/bin/env bash
# The toolkit against its peers, side by side in one run (not a test: numbers).
#
#   1. Route matching among 100 routes, ns per match: the toolkit's router, Hummingbird 2's,
#      vapor/routing-kit's (Peers/Sources/RoutingBench).
#   2. CPU per request in one process, through Sluice's gateway: a bare hello, the same hello
#      routed by the toolkit, and a JSON echo by the toolkit and by Hummingbird 2 behind the
#      same gateway (Peers/Sources/DispatchBench), with callgrind's instruction counts when
#      valgrind is installed (steady when other work shares the machine).
#   3. Multipart parsing, MB/s on a 64 MiB upload: the toolkit's parser and multipart-kit's.
#   4. CGI start-up in the fast build (Docs/cgi.md): CGIHello, then the same hello through the
#      toolkit's router, with JSON (Foundation's coders), with sessions (swift-crypto), with
#      Foundation, with multipart-kit (SwiftNIO), and the notes example; median ms per exec,
#      taking turns exec by exec (Benchmarks/CGI/interleave.c), and instructions per exec.
#   5. Build time from clean of SluiceToolkit against multipart-kit, each with its dependencies.
#   6. The same over HTTP, behind the same adapter (SluiceHTTP through serve): CPU time per
#      request of the server under wrk (from /proc: steadier than requests/s when other work
#      shares the machine) for the bare hello, the toolkit's hello, and the JSON echo by the
#      toolkit and by Hummingbird 2; server pinned to CPU 0, wrk to CPU 1, taking turns.
#
#   Benchmarks/Toolkit/run.sh            # everything; RUNS=300 CGI execs each
#   PARTS="1 2" Benchmarks/Toolkit/run.sh
#
# Needs gcc; valgrind is optional. Peers build in a package of their own
# (Benchmarks/Toolkit/Peers), never in CI.
set -euo pipefail
cd "$(dirname "$0")/../.."

parts=" ${PARTS:-1 2 3 4 5 6} "
duration=${DURATION:-5}
runs=${RUNS:-300}
scratch=${SCRATCH:-$PWD/.build-bench-toolkit}
peers_scratch=${PEERS_SCRATCH:-$PWD/.build-bench-toolkit-peers}
. Benchmarks/harness.sh
require_tools gcc
start_scratch sluice-toolkit-bench

# The peers reach this checkout through a link named `sluice` (Peers/Package.swift).
mkdir -p "$peers_scratch"
ln -sfn "$PWD" "$peers_scratch/sluice"
fast=(-Xswiftc -static-executable -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors)

build_peers() { # scratch folder name, extra swift build arguments...
    local folder=$1
    shift
    swift build -c release --package-path Benchmarks/Toolkit/Peers --scratch-path "$peers_scratch/$folder" "$@" >"$work/build.log" 2>&1 \
        || { cat "$work/build.log" >&2; exit 1; }
}

describe_machine
echo "load average $(load_average): figures taken while other work runs are provisional"

if [[ $parts == *" 1 "* || $parts == *" 2 "* || $parts == *" 3 "* || $parts == *" 6 "* ]]; then
    echo "building the peers (release; Hummingbird takes minutes the first time)..." >&2
    # -enable-testing lets RoutingBench time the toolkit's trie itself, as it times Hummingbird's.
    build_peers build -Xswiftc -enable-testing --product RoutingBench
    build_peers build -Xswiftc -enable-testing --product DispatchBench
    build_peers build -Xswiftc -enable-testing --product MultipartBench
    build_peers build -Xswiftc -enable-testing --product BenchServer
    bin=$peers_scratch/build/release
fi

if [[ $parts == *" 1 "* ]]; then
    echo; echo "1. Route matching among 100 routes, CPU time (median of 9 rounds of 200,000 matches, taking turns)"
    "$bin/RoutingBench"
fi

if [[ $parts == *" 2 "* ]]; then
    echo; echo "2. CPU time per request through the gateway, in one process (median of 9 rounds of 20,000, taking turns)"
    "$bin/DispatchBench"
fi

if [[ $parts == *" 3 "* ]]; then
    echo; echo "3. Multipart parsing of a 64 MiB upload in 64 KiB chunks (best of 5)"
    "$bin/MultipartBench" 64
fi

if [[ $parts == *" 4 "* ]]; then
    echo; echo "4. CGI start-up in the fast build (static executable), $runs execs each, taking turns"
    echo "building the CGI programs (release, fast flags)..." >&2
    swift build -c release --scratch-path "$scratch" --product CGIHello "${fast[@]}" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
    cp "$scratch/release/CGIHello" "$work/CGIHello"
    swift build -c release --scratch-path "$scratch" --product notes "${fast[@]}" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
    cp "$scratch/release/notes" "$work/notes"
    programs=(CGIHello CGIToolkitHello CGIJSONHello CGISessionsHello CGIFoundationHello CGIMultipartKit notes)
    for program in "${programs[@]:1:5}"; do
        build_peers build-fast --product "$program" "${fast[@]}"
        cp "$peers_scratch/build-fast/release/$program" "$work/$program"
    done
    cgi_environment
    # notes answers its index at PATH_INFO=/, from a database made once beforehand.
    cat >"$work/notes-cgi" <<SCRIPT
#!/bin/sh
cd "$work" && PATH_INFO=/ REQUEST_URI=/app/ exec "$work/notes" "\$@"
SCRIPT
    chmod +x "$work/notes-cgi"
    (cd "$work" && PATH_INFO=/ REQUEST_URI=/app/ ./notes </dev/null | grep -q '"title"') || { echo "notes did not answer" >&2; exit 1; }
    paths=()
    for program in "${programs[@]}"; do
        [[ $program == notes ]] && { paths+=("$work/notes-cgi"); continue; }
        "$work/$program" </dev/null | grep -q "Hello from /app/hello" || { echo "$program did not answer" >&2; exit 1; }
        paths+=("$work/$program")
    done
    time_execs "$runs" "${paths[@]}"
    printf '  %-20s %12s %10s %10s %14s\n' program "median (ms)" "× hello" "size KiB" instructions
    baseline=
    for program in "${programs[@]}"; do
        name=$program; [[ $program == notes ]] && name=notes-cgi
        median=$(median_ms "$name")
        [[ -n $baseline ]] || baseline=$median
        instructions=-
        if command -v valgrind >/dev/null; then
            instructions=$(cd "$work" && PATH_INFO=$([[ $program == notes ]] && echo / || echo /hello) \
                valgrind --tool=callgrind --callgrind-out-file=/dev/null "$work/$program" </dev/null 2>&1 >/dev/null | awk '/Collected/ { print $4 }')
        fi
        printf '  %-20s %12.3f %10.2f %10s %14s\n' "$program" "$median" "$(echo "$median / $baseline" | bc -l)" \
            "$(($(stat -c %s "$work/$program") / 1024))" "$instructions"
    done
fi

if [[ $parts == *" 5 "* ]]; then
    echo; echo "5. Build time from clean, release, on $(nproc) cores (each with the dependencies it needs)"
    for target in SluiceToolkit MultipartKit; do
        rm -rf "$work/clean"
        start=$(date +%s.%N)
        if [[ $target == SluiceToolkit ]]; then
            swift build -c release --scratch-path "$work/clean" --target SluiceToolkit >"$work/build.log" 2>&1
        else
            swift build -c release --package-path Benchmarks/Toolkit/Peers --scratch-path "$work/clean" --target MultipartKit >"$work/build.log" 2>&1
        fi || { cat "$work/build.log" >&2; exit 1; }
        printf '  %-16s %6.0f s\n' "$target" "$(echo "$(date +%s.%N) - $start" | bc -l)"
    done
fi
if [[ $parts == *" 6 "* ]]; then
    echo; echo "6. Over HTTP behind SluiceHTTP: server CPU per request under wrk -c 8, ${duration} s a run, 3 rounds taking turns (median)"
    port=${PORT:-18180}
    declare -A pids=()
    server_port() { case $1 in hello) echo "$port" ;; toolkit) echo $((port + 1)) ;; hummingbird) echo $((port + 2)) ;; esac; }
    for server in hello toolkit hummingbird; do
        start_on 0 "$work/$server.log" "$bin/BenchServer" "$server" --http "127.0.0.1:$(server_port "$server")"
        pids[$server]=$started
    done
    for server in hello toolkit hummingbird; do
        wait_for "tcp:$(server_port "$server")"
    done
    # case: name, server, path, extra wrk arguments
    cases=("hello hello /hello" "toolkit-hello toolkit /hello" "toolkit-json-echo toolkit /echo -s Benchmarks/Toolkit/echo.lua" "hummingbird-echo hummingbird /echo -s Benchmarks/Toolkit/echo.lua")
    : >"$work/http"
    for round in 1 2 3; do
        for entry in "${cases[@]}"; do
            read -r name server path extra <<<"$entry"
            # shellcheck disable=SC2086
            measure_wrk "${pids[$server]}" taskset -c 1 wrk -t1 -c8 -d"${duration}s" --latency $extra "http://127.0.0.1:$(server_port "$server")$path"
            echo "$name $cpu $requests" >>"$work/http"
        done
    done
    for entry in "${cases[@]}"; do
        read -r name _ <<<"$entry"
        awk -v n="$name" '$1 == n { print $2, $3 }' "$work/http" | sort -g | awk -v n="$name" 'NR == 2 { printf "  %-20s %8.2f µs CPU/request (%d requests in the median run)\n", n, $1, $2 }'
    done
fi
echo; echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
