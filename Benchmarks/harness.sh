# Sourced by the benchmarks that start servers (FastCGI/run.sh, Hummingbird/run.sh): a scratch
# directory, the processes a benchmark starts, and waiting for them.

# start_scratch LABEL: makes $TMP, a scratch directory other users (nginx's workers) can enter,
# and stops every pid added to PIDS, then removes $TMP (unless KEEP_TMP=1), when the script exits.
start_scratch() {
    TMP=$(mktemp -d "/tmp/$1.XXXXXX")
    chmod 755 "$TMP"
    PIDS=()
    trap stop_started EXIT
}

stop_started() {
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    sleep 0.5
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    [ "${KEEP_TMP:-0}" = 1 ] || rm -rf "$TMP"
}

# require_tools TOOL... : exits naming the Debian packages when one is missing.
require_tools() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install -y nginx wrk util-linux gcc)"; exit 1; }
    done
}

wait_for() { # wait_for unix:PATH | tcp:PORT
    for _ in $(seq 150); do
        case $1 in
            unix:*) [ -S "${1#unix:}" ] && return 0 ;;
            tcp:*) (exec 3<>"/dev/tcp/127.0.0.1/${1#tcp:}") 2>/dev/null && return 0 ;;
        esac
        sleep 0.1
    done
    echo "not ready: $1" >&2; return 1
}

# user + system clock ticks of a process and its children (php-fpm's workers, prefork)
cpu_ticks() {
    local total=0 pid
    for pid in "$1" $(pgrep -P "$1" || true); do
        total=$((total + $(awk '{print $14 + $15}' /proc/"$pid"/stat)))
    done
    echo "$total"
}
