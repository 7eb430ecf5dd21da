#!/usr/bin/env bash
# Builds one of the toolkit's libFuzzer harnesses (Fuzz/NAME/NAME.swift) with AddressSanitizer
# and runs it for SECONDS over a copy of its seed corpus (Fuzz/NAME/corpus).
#
#   Fuzz/Toolkit/fuzz.sh Multipart 60          # one harness for a minute
#   Fuzz/Toolkit/fuzz.sh all 10                # each in turn: the CI smoke
#   RUNS=10000000 Fuzz/Toolkit/fuzz.sh Multipart   # a long run: 10 M executions
#
# Harnesses: FormURLEncoded Multipart Cookies SessionCookie RangeHeader RouteMatching HTTPDate.
# Sluice and SluiceToolkit are compiled once into .build-fuzz/ (about 3 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/../.."

name=${1:?usage: Fuzz/Toolkit/fuzz.sh NAME|all [SECONDS]}
seconds=${2:-60}
build=${FUZZ_BUILD:-.build-fuzz}
harnesses=(FormURLEncoded Multipart Cookies SessionCookie RangeHeader RouteMatching HTTPDate)
flags=(-parse-as-library -O -g -sanitize=fuzzer,address -swift-version 6
    -enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault)
mkdir -p "$build"

library() { # module name, sources directory: a static library and module, rebuilt when a source changes
    local module=$1 sources=$2
    if [[ -f $build/lib$module.a && -z $(find "$sources" -name '*.swift' -newer "$build/lib$module.a") ]]; then return; fi
    echo "building $module for fuzzing..." >&2
    # shellcheck disable=SC2046
    swiftc "${flags[@]}" -enable-testing -module-name "$module" -I "$build" -emit-module -emit-module-path "$build/$module.swiftmodule" \
        -emit-library -static -o "$build/lib$module.a" $(find "$sources" -name '*.swift' | sort)
}

harness() { # name: the harness executable
    local name=$1 extra=()
    # The libraries use the Glibc overlay and Synchronization, which a harness need not import.
    # The session cookie's layout compiles with the harness: SluiceSessions needs swift-crypto.
    [[ $name == SessionCookie ]] && extra=(Sources/SluiceSessions/Base64.swift Sources/SluiceSessions/SessionCookieFormat.swift)
    swiftc "${flags[@]}" -module-name "Fuzz$name" -I "$build" -L "$build" -lSluiceToolkit -lSluice -lswiftGlibc -lswiftSynchronization \
        "Fuzz/$name/$name.swift" "${extra[@]}" -o "$build/fuzz-$name" 2>&1 | grep -v "ld.gold: warning" >&2 || true
    [[ -x $build/fuzz-$name ]] || { echo "the $name harness did not build" >&2; exit 1; }
}

run() { # name
    local name=$1 corpus
    corpus=$(mktemp -d /tmp/sluice-fuzz-XXXXXX)
    cp "Fuzz/$name/corpus/"* "$corpus/"
    local limit=(-max_total_time="$seconds")
    [[ -n ${RUNS:-} ]] && limit=(-runs="$RUNS")
    echo "fuzzing $name (${RUNS:-$seconds s})..." >&2
    # libFuzzer reports a crash itself; Swift's backtracer would hold the pipe open.
    SWIFT_BACKTRACE=enable=no "$build/fuzz-$name" "${limit[@]}" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "$corpus" 2>&1 \
        | grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|Done)|Fatal|precondition" >&2
    rm -rf "$corpus"
}

library Sluice Sources/Sluice
library SluiceToolkit Sources/SluiceToolkit
if [[ $name == all ]]; then selected=("${harnesses[@]}"); else selected=("$name"); fi
for harness_name in "${selected[@]}"; do
    rm -f "$build/fuzz-$harness_name"
    harness "$harness_name"
    run "$harness_name"
done
