#!/usr/bin/env bash
# Start-up cost of the Hummingbird example as a CGI program (not a test: numbers).
#
# Builds four programs the fast way Docs/cgi.md describes (Scripts/build-cgi: static
# executable, metadata by accessor, lld with the start-up order where valgrind can read the
# program): CGIHello
# (CGI.main, the fastest Sluice CGI program), hello (the same application through serve(app)),
# bookshop (Examples/Frameworks: a Hummingbird router on HummingbirdApp through serve(app)) and
# todos (Examples/Frameworks: the OpenAPI-generated server on SluiceOpenAPI through serve(app)). Then times each exec of them taking turns (Benchmarks/CGI/interleave.c), RUNS
# times, all answering GET /app/ — a line of text from each — and prints the median time per
# exec, its ratio to CGIHello, the maximum resident set size and the size.
#
#   Benchmarks/Hummingbird/cgi-startup.sh            # RUNS=300 by default
#
# Needs gcc and valgrind (for the start-up order).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

runs=${RUNS:-300}
. Benchmarks/harness.sh
require_tools gcc valgrind
start_scratch sluice-hb-cgi-bench

# build_fast NAME PACKAGE-DIRECTORY PRODUCT: builds PRODUCT as users do for CGI (Scripts/build-cgi).
build_fast() {
    local name=$1 package=$2 product=$3
    echo "building $name ($product in $package)..." >&2
    (cd "$package" && SCRATCH=.build-bench-cgi "$root/Scripts/build-cgi" "$product" "$work/$name") >/dev/null 2>"$work/$name.log" \
        || { cat "$work/$name.log" >&2; exit 1; }
    grep -q "without a start-up layout" "$work/$name.log" || ordered+=("$name")
}
ordered=()
build_fast CGIHello . CGIHello
build_fast hello . hello
build_fast bookshop Examples/Frameworks BookshopServer
build_fast todos Examples/Frameworks Todos
programs=(CGIHello hello bookshop todos)

cgi_environment /
for program in "${programs[@]}"; do
    "$work/$program" </dev/null | grep -qE "^Status: 200|^Content-Type" \
        || { echo "$program did not answer GET /app/" >&2; exit 1; }
done

describe_machine
echo "$runs runs each, taking turns exec by exec; load average $(load_average)"
echo "linked in start-up order: ${ordered[*]:-none}"
time_execs "$runs" "${programs[@]/#/$work/}"
echo "load average after: $(load_average)"
printf '%-10s %12s %12s %12s %10s\n' program "median (ms)" "× CGIHello" "max RSS KiB" "size KiB"
baseline=
for program in "${programs[@]}"; do
    median=$(median_ms "$program")
    [[ -n $baseline ]] || baseline=$median
    rss=$(/usr/bin/time -f %M "$work/$program" </dev/null 2>&1 >/dev/null | tail -n 1)
    printf '%-10s %12.3f %12.2f %12s %10s\n' "$program" "$median" "$(echo "$median / $baseline" | bc -l)" \
        "$rss" "$(($(stat -c %s "$work/$program") / 1024))"
done
