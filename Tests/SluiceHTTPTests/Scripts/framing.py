"""Differential framing test: the standalone server and h11 must agree on where every request
of a corpus of framing edge cases begins and ends.

    python3 framing.py PORT

PORT is a Sluice standalone server whose application answers each request with
"METHOD TARGET LENGTH FNV1A64\\n" of its body, with short head and body timeouts (a few hundred
ms), so that a connection left waiting for more bytes ends with 408 or a close, and an idle
timeout of a few seconds. The script sends each case on a
connection of its own, reads until the server closes, and compares the requests the server
answered with those h11 (an independent HTTP/1.1 parser, pinned in
Scripts/python-requirements.txt) parses from the same bytes. It prints one line per case that
is not an agreement and a summary, as JSON on the last line:

    {"cases": N, "agreed": N, "stricter": {reason: [case, ...]}, "lenient": {...}, "disagreements": [...]}

A case is *stricter* when the server rejects framing h11 accepts, having answered exactly the
requests before it as h11 did, for a rule of Spec HTTP-3 listed in STRICTER; *lenient* when the
server takes a request h11 refuses, in a way RFC 9112 allows a recipient, listed in LENIENT.
Anything else — a request one side saw and the other did not, a body of a different length, a
difference not listed — is a disagreement.
"""

import concurrent.futures
import json
import socket
import sys
import time

import h11

PORT = int(sys.argv[1])
NEXT = b"GET /next HTTP/1.1\r\nHost: a\r\n\r\n"


def fnv1a64(data):
    value = 0xCBF29CE484222325
    for byte in data:
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return format(value, "x")


def request(headers, body=b"", method=b"POST", target=b"/t", version=b"HTTP/1.1", host=True):
    line = method + b" " + target + b" " + version + b"\r\n"
    fields = (b"Host: a\r\n" if host else b"") + b"".join(h + b"\r\n" for h in headers)
    return line + fields + b"\r\n" + body


def corpus():
    """(name, bytes, truncate) for every case; `truncate` cases are also sent cut at each byte."""
    cases = []

    def add(name, data, truncate=False):
        cases.append((name, data, truncate))

    # Content-Length variants, each followed by a pipelined request to show where the body ended.
    lengths = {
        "cl-5": [b"Content-Length: 5"], "cl-0": [b"Content-Length: 0"], "cl-ows": [b"Content-Length:   5  "],
        "cl-leading-zeros": [b"Content-Length: 005"], "cl-plus": [b"Content-Length: +5"], "cl-minus": [b"Content-Length: -5"],
        "cl-hex": [b"Content-Length: 0x5"], "cl-list-equal": [b"Content-Length: 5, 5"], "cl-list-different": [b"Content-Length: 5, 6"],
        "cl-two-equal": [b"Content-Length: 5", b"Content-Length: 5"], "cl-two-different": [b"Content-Length: 5", b"Content-Length: 6"],
        "cl-empty": [b"Content-Length: "], "cl-huge": [b"Content-Length: 99999999999999999999"], "cl-space-inside": [b"Content-Length: 5 5"],
        "cl-tab": [b"Content-Length:\t5"], "cl-name-case": [b"cOnTeNt-LeNgTh: 5"], "cl-space-before-colon": [b"Content-Length : 5"],
    }
    for name, headers in lengths.items():
        add(name, request(headers, b"hello") + NEXT, truncate=name == "cl-5")

    chunked = [b"Transfer-Encoding: chunked"]
    bodies = {
        "chunked": b"5\r\nhello\r\n0\r\n\r\n",
        "chunked-two": b"3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n",
        "chunked-extension": b"5;name=value\r\nhello\r\n0\r\n\r\n",
        "chunked-extension-quoted": b'5;name="a;b"\r\nhello\r\n0\r\n\r\n',
        "chunked-extension-space": b"5 ;name=value\r\nhello\r\n0\r\n\r\n",
        "chunked-extension-empty": b"5;\r\nhello\r\n0\r\n\r\n",
        "chunked-last-extension": b"5\r\nhello\r\n0;name=value\r\n\r\n",
        "chunked-trailers": b"5\r\nhello\r\n0\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n",
        "chunked-trailer-obs-fold": b"5\r\nhello\r\n0\r\nX-Trailer: 1\r\n 2\r\n\r\n",
        "chunked-uppercase-hex": b"A\r\nhellohello\r\n0\r\n\r\n",
        "chunked-leading-zeros": b"0005\r\nhello\r\n000\r\n\r\n",
        "chunked-size-trailing-space": b"5 \r\nhello\r\n0\r\n\r\n",
        "chunked-size-0x": b"0x5\r\nhello\r\n0\r\n\r\n",
        "chunked-size-negative": b"-5\r\nhello\r\n0\r\n\r\n",
        "chunked-size-huge": b"ffffffffffffffffffff\r\nhello\r\n0\r\n\r\n",
        "chunked-size-not-hex": b"zz\r\nhello\r\n0\r\n\r\n",
        "chunked-data-too-long": b"3\r\nhello\r\n0\r\n\r\n",
        "chunked-no-crlf-after-data": b"5\r\nhello0\r\n\r\n",
        "chunked-bare-lf-after-size": b"5\nhello\r\n0\r\n\r\n",
        "chunked-bare-lf-after-data": b"5\r\nhello\n0\r\n\r\n",
        "chunked-bare-lf-everywhere": b"5\nhello\n0\n\n",
        "chunked-no-last-chunk-crlf": b"5\r\nhello\r\n0\r\n",
    }
    for name, body in bodies.items():
        add(name, request(chunked, body) + NEXT, truncate=name in ("chunked-extension", "chunked-trailers"))

    codings = {
        "te-capitalised": [b"Transfer-Encoding: Chunked"], "te-ows": [b"Transfer-Encoding:   chunked  "],
        "te-identity-chunked": [b"Transfer-Encoding: identity, chunked"], "te-chunked-identity": [b"Transfer-Encoding: chunked, identity"],
        "te-gzip-chunked": [b"Transfer-Encoding: gzip, chunked"], "te-twice": [b"Transfer-Encoding: chunked", b"Transfer-Encoding: chunked"],
        "te-xchunked": [b"Transfer-Encoding: xchunked"], "te-trailing-comma": [b"Transfer-Encoding: chunked,"],
        "te-leading-comma": [b"Transfer-Encoding: ,chunked"], "te-vertical-tab": [b"Transfer-Encoding: \x0bchunked"],
        "te-and-cl": [b"Transfer-Encoding: chunked", b"Content-Length: 5"], "cl-and-te": [b"Content-Length: 5", b"Transfer-Encoding: chunked"],
        "te-space-before-colon": [b"Transfer-Encoding : chunked"],
    }
    for name, headers in codings.items():
        add(name, request(headers, b"5\r\nhello\r\n0\r\n\r\n") + NEXT)
    add("te-http10", request(chunked, b"5\r\nhello\r\n0\r\n\r\n", version=b"HTTP/1.0") + NEXT)

    # obs-fold, bare LF and CR, field syntax.
    add("obs-fold-field", request([b"X-A: one", b" two"]) + NEXT)
    add("obs-fold-content-length", request([b"Content-Length:", b" 5"], b"hello") + NEXT)
    add("obs-fold-transfer-encoding", request([b"Transfer-Encoding:", b" chunked"], b"5\r\nhello\r\n0\r\n\r\n") + NEXT)
    add("bare-lf-head", b"GET /t HTTP/1.1\nHost: a\n\n" + NEXT)
    add("bare-lf-field", b"GET /t HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n" + NEXT)
    add("bare-cr-value", request([b"X-A: b\rc"]) + NEXT)
    add("nul-value", request([b"X-A: b\x00c"]) + NEXT)
    add("field-no-colon", request([b"X-A b"]) + NEXT)
    add("field-empty-name", request([b": b"]) + NEXT)
    add("field-name-space", request([b"X A: b"]) + NEXT)
    add("field-name-bad-char", request([b"X(A): b"]) + NEXT)

    # Request lines.
    add("line-double-space", b"GET  /t HTTP/1.1\r\nHost: a\r\n\r\n" + NEXT)
    add("line-tab", b"GET\t/t HTTP/1.1\r\nHost: a\r\n\r\n" + NEXT)
    add("line-lowercase-version", b"GET /t http/1.1\r\nHost: a\r\n\r\n" + NEXT)
    add("line-version-1.10", b"GET /t HTTP/1.10\r\nHost: a\r\n\r\n" + NEXT)
    add("line-no-version", b"GET /t\r\nHost: a\r\n\r\n" + NEXT)
    add("line-leading-crlf", b"\r\nGET /t HTTP/1.1\r\nHost: a\r\n\r\n" + NEXT)
    add("host-missing", request([], method=b"GET", host=False) + NEXT)
    add("host-twice", request([b"Host: b"], method=b"GET") + NEXT)
    add("get-with-body", request([b"Content-Length: 5"], b"hello", method=b"GET") + NEXT)
    add("expect-continue", request([b"Content-Length: 5", b"Expect: 100-continue"], b"hello") + NEXT)
    add("connection-close", request([b"Content-Length: 5", b"Connection: close"], b"hello") + NEXT)
    add("http10-no-keep-alive", request([b"Content-Length: 5"], b"hello", version=b"HTTP/1.0") + NEXT)
    add("http10-keep-alive", request([b"Content-Length: 5", b"Connection: keep-alive"], b"hello", version=b"HTTP/1.0") + NEXT)

    # Pipelined sequences: three framings in a row.
    add("pipeline-cl-chunked-get", request([b"Content-Length: 5"], b"hello") + request(chunked, b"2\r\nhi\r\n0\r\n\r\n") + NEXT, truncate=True)
    add("pipeline-smuggle-cl-te", request([b"Content-Length: 4", b"Transfer-Encoding: chunked"], b"0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"))
    add("pipeline-smuggle-te-te", request([b"Transfer-Encoding: chunked", b"Transfer-Encoding: identity"], b"0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"))
    add("pipeline-ten", NEXT * 10)
    return cases


def h11_view(data):
    """The requests h11 parses from `data`, each (method, target, length, fnv), and how it ends:
    "complete" (nothing left over), "incomplete" (waiting for more) or "error"."""
    connection = h11.Connection(h11.SERVER)
    connection.receive_data(data)
    requests, current = [], None
    while True:
        try:
            event = connection.next_event()
        except h11.RemoteProtocolError:
            return requests, "error"
        if event is h11.NEED_DATA:
            pending = connection.their_state is not h11.IDLE or bool(connection.trailing_data[0])
            return requests, "incomplete" if pending else "complete"
        if event is h11.PAUSED:
            return requests, "complete"
        if isinstance(event, h11.Request):
            current = [event.method.decode("latin-1"), event.target.decode("latin-1"), b""]
        elif isinstance(event, h11.Data):
            current[2] += event.data
        elif isinstance(event, h11.EndOfMessage):
            requests.append((current[0], current[1], len(current[2]), fnv1a64(current[2])))
            if connection.their_state is h11.MUST_CLOSE:
                return requests, "complete"
            connection.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
            connection.send(h11.EndOfMessage())
            connection.start_next_cycle()


def server_view(data):
    """The requests the server answered, parsed from its echoes, and how it ended: "complete"
    (closed by its idle timeout), "incomplete" (408) or "error" (another status)."""
    # The server's timeouts are a few hundred ms, but a loaded CI machine fires timers seconds
    # late: wait up to 60 s for the close (a hang still fails, as a timeout).
    with socket.create_connection(("127.0.0.1", PORT), timeout=60) as connection:
        connection.sendall(data)
        received = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                chunk = connection.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += chunk
    requests, ending = [], "complete"
    while received:
        head, _, rest = received.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ")[1])
        if 100 <= status < 200:
            received = rest
            continue
        lengths = [int(line.split(b":", 1)[1]) for line in lines[1:] if line.lower().startswith(b"content-length:")]
        length = lengths[0] if lengths else len(rest)
        body, received = rest[:length], rest[length:]
        if status == 200:
            method, target, count, fnv = body.decode("latin-1").split()
            requests.append((method, target, int(count), fnv))
        else:
            ending = "incomplete" if status == 408 else f"error {status}"
            break
    return requests, ending


# Where the server rejects framing h11 accepts, by design (Spec HTTP-3): reason -> cases.
STRICTER = {
    "bare LF line ends (HTTP-3)": ["bare-lf-head", "bare-lf-field"],
    "obs-fold (HTTP-3)": ["obs-fold-field", "obs-fold-content-length", "obs-fold-transfer-encoding", "chunked-trailer-obs-fold"],
    "Transfer-Encoding in HTTP/1.0 (HTTP-3)": ["te-http10"],
    "Content-Length with Transfer-Encoding (HTTP-3)": ["te-and-cl", "cl-and-te", "pipeline-smuggle-cl-te"],
    "more than one Content-Length value (HTTP-3)": ["cl-list-equal", "cl-two-equal"],
    "a chunk size that overflows (HTTP-3)": ["chunked-size-huge"],
    "a Content-Length over the body limit (ERR-3, 413)": ["cl-huge"],
    "a method the parser does not know (HTTP-3)": ["cl-0"],
    "a chunk extension without a name (RFC 9112 §7.1.1)": ["chunked-extension-empty"],
    "whitespace after a chunk size without an extension (RFC 9112 §7.1)": ["chunked-size-trailing-space"],
}

# Where the server takes what h11 refuses, as RFC 9112 allows a recipient to: reason -> cases.
# None changes where a request begins or ends.
LENIENT = {
    "an empty line before the request line is ignored (RFC 9112 §2.2)": ["line-leading-crlf"],
    "runs of spaces between request-line parts are one separator (RFC 9112 §3)": ["line-double-space"],
    "HTTP/1.0 keep-alive is honoured (RFC 9112 §9.3, appendix C.2.2; h11 closes)": ["http10-keep-alive"],
}


def reason(table, name):
    return next((reason for reason, names in table.items() if name.split("@")[0] in names), None)


def compare(case):
    name, data = case
    expected, expected_ending = h11_view(data)
    actual, ending = server_view(data)
    outcome = "error" if ending.startswith("error") else ending
    if (actual, outcome) == (expected, expected_ending):
        return name, "agreed", None
    if actual == expected and expected_ending == "incomplete" and outcome == "complete":
        # An unfinished request at the end: h11 waits for more; the server answers 408 when the
        # unfinished bytes came after the requests before it ended, and closes at its idle
        # timeout without an answer when they came in one read with them. Either way no request.
        return name, "agreed", None
    detail = f"h11 {expected} {expected_ending}; server {actual} {ending}"
    if outcome == "error" and expected[: len(actual)] == actual and (len(expected) > len(actual) or expected_ending != "error"):
        # The server rejected a request h11 took, having answered the same requests before it.
        if reason(STRICTER, name):
            return name, "stricter", reason(STRICTER, name)
    elif actual[: len(expected)] == expected and (len(actual) > len(expected) or outcome != "error"):
        # The server took a request h11 rejected or did not wait for.
        if reason(LENIENT, name):
            return name, "lenient", reason(LENIENT, name)
    return name, "disagreed", detail


def main():
    cases = []
    for name, data, truncate in corpus():
        cases.append((name, data))
        if truncate:
            cases += [(f"{name}@{cut}", data[:cut]) for cut in range(1, len(data))]
    # Many cases end at the server's idle timeout: enough threads that their waits overlap.
    with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
        results = list(pool.map(compare, cases))
    summary = {"cases": len(results), "agreed": 0, "stricter": {}, "lenient": {}, "disagreements": []}
    for name, verdict, detail in results:
        if verdict == "agreed":
            summary["agreed"] += 1
        elif verdict in ("stricter", "lenient"):
            summary[verdict].setdefault(detail, []).append(name)
        else:
            summary["disagreements"].append(f"{name}: {detail}")
            print(f"disagreed {name}: {detail}")
    print(json.dumps(summary))


main()
