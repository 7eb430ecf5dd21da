# Benchmarks/harness.sh — sourced by every benchmark script, from the package's root: the
# scratch directory and the processes a script starts, waiting for a server, CPU time per
# request, timing CGI execs taking turns, and the lines that say when and where a run was taken.

# start_scratch LABEL: makes $work, a scratch directory other users (nginx's workers) can enter;
# when the script exits, every pid added to PIDS is stopped and $work removed (kept with
# KEEP_TMP=1).
start_scratch() {
    work=$(mktemp -d "/tmp/$1.XXXXXX")
    chmod 755 "$work"
    PIDS=()
    trap stop_started EXIT
}

stop_started() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    ((${#PIDS[@]} == 0)) || sleep 0.5
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    [ "${KEEP_TMP:-0}" = 1 ] || rm -rf "$work"
}

# start_on CPU LOG COMMAND...: starts COMMAND in the background pinned to CPU, its output in LOG;
# sets started to its pid and adds it to PIDS.
start_on() {
    local cpu=$1 log=$2
    shift 2
    taskset -c "$cpu" "$@" >"$log" 2>&1 &
    started=$!
    PIDS+=("$started")
}

# is_selected NAME: whether NAME is among the cases named on the command line (the array
# SELECTED), or none were named.
is_selected() { [ ${#SELECTED[@]} -eq 0 ] || [[ " ${SELECTED[*]} " =~ " $1 " ]]; }

# require_tools TOOL...: exits naming the first tool that is missing.
require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "missing: $tool (the script's header says what to install)" >&2; exit 1; }
    done
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_for unix:PATH | tcp:PORT | URL [CURL-OPTION...]: waits up to 15 s for a socket file to
# appear, a port to accept, or a URL to answer with a success status.
wait_for() {
    local what=$1
    shift
    for _ in $(seq 150); do
        case $what in
            unix:*) [ -S "${what#unix:}" ] && return 0 ;;
            tcp:*) (exec 3<>"/dev/tcp/127.0.0.1/${what#tcp:}") 2>/dev/null && return 0 ;;
            *) curl -fsS -o /dev/null "$@" "$what" 2>/dev/null && return 0 ;;
        esac
        sleep 0.1
    done
    echo "not ready: $what" >&2
    return 1
}

# family_sum PID FILE AWK-PROGRAM: the sum, over PID and its children (php-fpm's workers,
# prefork), of the number AWK-PROGRAM prints from /proc/<pid>/FILE.
family_sum() {
    local total=0 pid
    for pid in "$1" $(pgrep -P "$1" || true); do
        total=$((total + $(awk "$3" /proc/"$pid"/"$2")))
    done
    echo "$total"
}

# cpu_ticks PID: user + system clock ticks of PID and its children.
cpu_ticks() { family_sum "$1" stat '{ print $14 + $15 }'; }

# peak_rss_mib PID: the peak resident set (VmHWM) of PID plus its children's, in MiB.
peak_rss_mib() { echo $(($(family_sum "$1" status '/VmHWM/ { print $2 }') / 1024)); }

# cpu_per_request TICKS REQUESTS: microseconds of CPU time per request.
cpu_per_request() {
    awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0) }'
}

# measure_wrk PID WRK-COMMAND...: runs the wrk command line (give it --latency) and sets rps,
# requests, p99, errors (the error lines, empty when none) and cpu, the CPU time PID and its
# children spent per request in µs — unlike requests/s, it barely moves when other work shares
# the machine.
measure_wrk() {
    local pid=$1 before after out
    shift
    before=$(cpu_ticks "$pid")
    out=$("$@")
    after=$(cpu_ticks "$pid")
    rps=$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")
    requests=$(awk '/requests in/ { print $1 }' <<<"$out")
    p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
    errors=$(awk '/Non-2xx|Socket errors/ { $1 = $1; printf "%s; ", $0 }' <<<"$out")
    cpu=$(cpu_per_request $((after - before)) "${requests:-0}")
}

# print_ratios FILE UNIT [GROUP-SUFFIX]: FILE holds lines "GROUP SERVER RATE CPU-EACH ...";
# prints, per group in order, Sluice's rate over raw NIO's and Hummingbird's (in UNIT), then the
# same by CPU time each (requests per CPU second).
print_ratios() {
    awk -v unit="$2" -v suffix="${3:-}" '
        !($1 in seen) { seen[$1] = 1; order[++groups] = $1 }
        { rate[$1, $2] = $3; cpu[$1, $2] = $4 }
        END {
            for (i = 1; i <= groups; i++) {
                g = order[i]
                line = g suffix ": Sluice"
                if (rate[g, "sluice"] && rate[g, "nio"]) line = line sprintf(" = %.2f x raw NIO", rate[g, "sluice"] / rate[g, "nio"])
                if (rate[g, "sluice"] && rate[g, "hummingbird"]) line = line sprintf(", %.2f x Hummingbird", rate[g, "sluice"] / rate[g, "hummingbird"])
                line = line " (" unit ");"
                if (cpu[g, "sluice"] && cpu[g, "nio"]) line = line sprintf(" %.2f x raw NIO", cpu[g, "nio"] / cpu[g, "sluice"])
                if (cpu[g, "sluice"] && cpu[g, "hummingbird"]) line = line sprintf(", %.2f x Hummingbird", cpu[g, "hummingbird"] / cpu[g, "sluice"])
                print line " (per CPU second)"
            }
        }' "$1"
}

# cgi_environment [PATH]: exports the CGI request every exec of a start-up benchmark answers,
# GET /app/hello (or /app followed by PATH), with stdin left to the caller.
cgi_environment() {
    local path=${1:-/hello}
    export GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET SCRIPT_NAME=/app PATH_INFO=$path \
        REQUEST_URI=/app$path QUERY_STRING= SERVER_NAME=localhost SERVER_PORT=80 \
        SERVER_PROTOCOL=HTTP/1.1 SERVER_SOFTWARE=bench REMOTE_ADDR=127.0.0.1 HTTP_HOST=localhost
}

# time_execs RUNS PROGRAM...: execs the programs RUNS times each, taking turns one exec at a
# time (Benchmarks/CGI/interleave.c: fork, exec, wait, as hyperfine -N times one run) after 20
# rounds of warm-up, so that load that comes and goes on a shared machine weighs on all of them
# alike (rounds of hyperfine runs, even interleaved, let a burst land on one program's round).
# Writes "NAME SECONDS" lines, NAME the program's file name, to $work/times.
time_execs() {
    local runs=$1
    shift
    [ -x "$work/interleave" ] || gcc -O2 -o "$work/interleave" Benchmarks/CGI/interleave.c
    "$work/interleave" 20 "$@" >/dev/null
    "$work/interleave" "$runs" "$@" | awk '{ n = split($1, path, "/"); print path[n], $2 }' >"$work/times"
}

# median_ms NAME: the median milliseconds per exec of NAME, from $work/times.
median_ms() {
    awk -v p="$1" '$1 == p { print $2 * 1000 }' "$work/times" | sort -g \
        | awk '{ v[NR] = $1 } END { printf "%.3f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# describe_machine: when and on what a run was taken, for the first line of its output.
describe_machine() {
    echo "$(date -u '+%Y-%m-%d %H:%M UTC') $(uname -srm), $(nproc) cores, $(swift --version 2>/dev/null | head -n 1)"
}

# load_average: the 1, 5 and 15 minute load averages now.
load_average() { cut -d' ' -f1-3 /proc/loadavg; }
