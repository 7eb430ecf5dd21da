# Sourced by Benchmarks/*/count-calls.sh: counting calls into the runtime per request with
# uprobes (perf), which repeat from run to run where CPU time does not.

# Places uprobes on swift_task_switch, swift_retain and libc's malloc as BINARY links them, and
# sets `events` to their names for perf stat.
place_uprobes() {
    local runtime libc
    runtime=$(dirname "$(readlink -f "$(command -v swift)")")/../lib/swift/linux
    libc=$(ldd "$1" | awk '$1 ~ /^libc\.so/ { print $3 }')
    perf probe -q -x "$runtime/libswift_Concurrency.so" swift_task_switch 2>/dev/null || true
    perf probe -q -x "$runtime/libswiftCore.so" swift_retain 2>/dev/null || true
    perf probe -q -x "$libc" malloc 2>/dev/null || true
    events=probe_libswift_Concurrency:swift_task_switch,probe_libswiftCore:swift_retain,probe_libc:malloc
}

# count_per_request NAME PID URL COUNTS-FILE: warms the server up, counts the probes in PID
# over 3 s of wrk at 64 connections (pinned to CPU 1) and prints NAME and each count divided
# by the requests served.
count_per_request() {
    local name=$1 pid=$2 url=$3 counts=$4 counter requests
    taskset -c 1 wrk -t1 -c64 -d1s "$url" >/dev/null
    perf stat -x, -e "$events" -p "$pid" -o "$counts" -- sleep 4 &
    counter=$!
    sleep 0.2
    requests=$(taskset -c 1 wrk -t1 -c64 -d3s "$url" | awk '/requests in/ { print $1 }')
    wait "$counter"
    awk -F, -v n="$requests" -v name="$name" '
        /probe/ { split($3, event, ":"); per[event[2]] = $1 / n }
        END { printf "%-9s %14.1f %14.1f %14.1f\n", name, per["swift_task_switch"], per["swift_retain"], per["malloc"] }' "$counts"
}
