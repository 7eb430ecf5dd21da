#!/usr/bin/env bash
# Lists the symbols a CGI program touches while it answers one request, for the linker to put
# side by side (Docs/cgi.md, "Build the fast binary"):
#
#   Benchmarks/CGI/startup-order.sh .build/release/MyApp > startup-order.txt
#   swift build ... -Xlinker --symbol-ordering-file="$PWD/startup-order.txt"
#
# A static Swift executable is 10 MB of code and data; one request touches a few hundred
# functions spread all over it, and every 64 KiB stretch of code it touches, and every page of
# data, costs a page fault at each exec. Laid out together they cost a third as many.
#
# Runs the program twice under valgrind, with the request below in its environment and standard
# input from /dev/null: callgrind names the functions it calls, lackey the data it reads and
# writes. Prints functions first, then data, one mangled name a line, in the order found.
# Needs valgrind and python3.
set -euo pipefail
program=${1:?usage: startup-order.sh PROGRAM}
command -v valgrind >/dev/null || { echo "startup-order.sh needs valgrind" >&2; exit 1; }
work=$(mktemp -d /tmp/sluice-startup-order-XXXXXX)
trap 'rm -rf "$work"' EXIT

export GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET SCRIPT_NAME=/app PATH_INFO=/hello \
    REQUEST_URI=/app/hello QUERY_STRING= SERVER_NAME=localhost SERVER_PORT=80 \
    SERVER_PROTOCOL=HTTP/1.1 SERVER_SOFTWARE=bench REMOTE_ADDR=127.0.0.1 HTTP_HOST=localhost

# Functions: every name callgrind records as called or calling ('N marks a recursion depth).
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/calls" "$program" </dev/null >/dev/null 2>&1
sed -nE "s/^c?fn=\([0-9]+\) (.*)/\1/p" "$work/calls" | sed -E "s/'[0-9]+$//" | grep -v '^0x' | awk '!seen[$0]++'

# Data: every data symbol holding an address the program loaded from or stored to.
valgrind --tool=lackey --trace-mem=yes --log-file="$work/accesses" "$program" </dev/null >/dev/null 2>&1
nm -n -S "$program" >"$work/symbols"
python3 - "$work/symbols" "$work/accesses" <<'PYTHON'
import bisect, sys
symbols = []  # (start, end, name) of data symbols with a size, by address
for line in open(sys.argv[1]):
    fields = line.split()
    if len(fields) == 4 and fields[2] in "dDbBrRvV":
        start = int(fields[0], 16)
        symbols.append((start, start + int(fields[1], 16), fields[3]))
starts = [symbol[0] for symbol in symbols]
seen = set()
for line in open(sys.argv[2]):
    if line[:3] not in (" L ", " S ", " M "):
        continue
    address = int(line.split()[1].split(",")[0], 16)
    index = bisect.bisect_right(starts, address) - 1
    if index >= 0 and address < symbols[index][1] and symbols[index][2] not in seen:
        seen.add(symbols[index][2])
        print(symbols[index][2])
PYTHON
