"""HTTP/2 cases against a server hosting the probe, driven frame by frame with Python's h2.

    python3 h2_cases.py CASE PORT [--tls CA_FILE] [--pid PID]

Each case asserts what the server must do and prints one JSON line, {"case": ..., "ok": true,
...observations}; a broken promise raises (exit status 1, the reason on standard error). Attacks
end by checking that a new connection is still served.
"""
import argparse
import collections
import json
import os
import signal
import socket
import ssl
import sys
import time

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.settings
import hpack
from hyperframe.frame import ContinuationFrame, DataFrame, HeadersFrame, PingFrame, RstStreamFrame, SettingsFrame

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
args = None


class Closed(Exception):
    pass


def connect_socket():
    sock = socket.create_connection(("127.0.0.1", args.port), timeout=10)
    if args.tls:
        context = ssl.create_default_context(cafile=args.tls)
        context.set_alpn_protocols(["h2"])
        sock = context.wrap_socket(sock, server_hostname="localhost")
        assert sock.selected_alpn_protocol() == "h2", sock.selected_alpn_protocol()
    return sock


class Client:
    """An h2 client connection that collects each stream's response."""

    def __init__(self, settings=None):
        self.sock = connect_socket()
        config = h2.config.H2Configuration(client_side=True, header_encoding="utf-8", validate_outbound_headers=False,
                                           normalize_outbound_headers=False, validate_inbound_headers=False)
        self.conn = h2.connection.H2Connection(config=config)
        self.conn.initiate_connection()
        if settings:
            self.conn.update_settings(settings)
        self.flush()
        self.streams = {}
        self.goaway = None
        self.closed = False
        self.remote_settings = {}

    def flush(self):
        data = self.conn.data_to_send()
        if data:
            self.sock.sendall(data)

    def stream(self, stream_id):
        return self.streams.setdefault(stream_id, {"informational": [], "headers": None, "body": b"", "trailers": None,
                                                   "ended": False, "reset": None})

    def pump(self, timeout):
        """Reads for at most `timeout` seconds; False once the server closed the connection."""
        if self.closed:
            return False
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return True
        except (ConnectionResetError, ssl.SSLError, OSError):
            data = b""
        if not data:
            self.closed = True
            return False
        for event in self.conn.receive_data(data):
            self.handle(event)
        self.flush()
        return True

    def handle(self, event):
        if isinstance(event, h2.events.InformationalResponseReceived):
            self.stream(event.stream_id)["informational"].append(dict(event.headers))
        elif isinstance(event, h2.events.ResponseReceived):
            self.stream(event.stream_id)["headers"] = event.headers
        elif isinstance(event, h2.events.DataReceived):
            self.stream(event.stream_id)["body"] += event.data
            self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        elif isinstance(event, h2.events.TrailersReceived):
            self.stream(event.stream_id)["trailers"] = event.headers
        elif isinstance(event, h2.events.StreamEnded):
            self.stream(event.stream_id)["ended"] = True
        elif isinstance(event, h2.events.StreamReset):
            self.stream(event.stream_id)["reset"] = int(event.error_code)
        elif isinstance(event, h2.events.ConnectionTerminated):
            self.goaway = int(event.error_code)
        elif isinstance(event, h2.events.RemoteSettingsChanged):
            for key, change in event.changed_settings.items():
                self.remote_settings[int(key)] = change.new_value

    def wait(self, condition, timeout=10, what="the server"):
        deadline = time.time() + timeout
        while not condition():
            if time.time() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            if not self.pump(min(0.2, max(0.01, deadline - time.time()))) and not condition():
                raise Closed(f"the connection closed while waiting for {what}")

    def request(self, path, method="GET", headers=(), body=None, end=True, authority=None):
        stream_id = self.conn.get_next_available_stream_id()
        block = [(":method", method), (":scheme", "https" if args.tls else "http"), (":path", path),
                 (":authority", authority or f"localhost:{args.port}")] + list(headers)
        self.conn.send_headers(stream_id, block, end_stream=end and body is None)
        self.flush()
        if body is not None:
            self.send_body(stream_id, body, end=end)
        return stream_id

    def send_body(self, stream_id, body, end=True):
        offset = 0
        while offset < len(body):
            window = min(self.conn.local_flow_control_window(stream_id), self.conn.max_outbound_frame_size)
            if window <= 0:
                self.pump(0.2)
                continue
            chunk = body[offset:offset + window]
            self.conn.send_data(stream_id, chunk)
            offset += len(chunk)
            self.flush()
        if end:
            self.conn.end_stream(stream_id)
            self.flush()

    def response(self, stream_id, timeout=10):
        state = self.stream(stream_id)
        self.wait(lambda: state["ended"] or state["reset"] is not None, timeout, f"stream {stream_id}")
        return state

    def status(self, state):
        return int(dict(state["headers"] or {}).get(":status", 0))

    def close(self):
        self.sock.close()


def report(state):
    return json.loads(state["body"])


def still_served():
    client = Client()
    state = client.response(client.request("/alive"))
    client.close()
    assert client.status(state) == 200, f"a new connection after the attack got {state}"


def raw_connection(settings=b""):
    """A socket that has sent the preface and an empty SETTINGS frame, for hand-made frames."""
    sock = connect_socket()
    sock.sendall(PREFACE + SettingsFrame(0).serialize())
    return sock


def read_goaway(sock, timeout=10):
    """The error code of the GOAWAY the server sends (None if it closes without one)."""
    deadline = time.time() + timeout
    buffer = b""
    while time.time() < deadline:
        sock.settimeout(max(0.01, deadline - time.time()))
        try:
            data = sock.recv(65536)
        except socket.timeout:
            break
        except (ConnectionResetError, OSError):
            data = b""
        if not data:
            break
        buffer += data
        while len(buffer) >= 9:
            length = int.from_bytes(buffer[0:3], "big")
            if len(buffer) < 9 + length:
                break
            frame_type = buffer[3]
            payload = buffer[9:9 + length]
            buffer = buffer[9 + length:]
            if frame_type == 7:
                return int.from_bytes(payload[4:8], "big")
    raise AssertionError("no GOAWAY from the server")


def headers_block(path="/", extra=()):
    return hpack.Encoder().encode([(":method", "GET"), (":scheme", "http"), (":path", path),
                                   (":authority", f"localhost:{args.port}")] + list(extra))


# MARK: Cases

def case_request():
    client = Client()
    state = client.response(client.request(
        "/mapped/caf%C3%A9?a=1&b=2", headers=[("cookie", "a=1"), ("x-tag", "one"), ("cookie", "b=2"), ("x-tag", "two")]))
    assert client.status(state) == 200, state
    got = report(state)
    names = [name for name, _ in got["headers"]]
    assert got["serverProtocol"] == "HTTP/2.0", got["serverProtocol"]
    assert got["method"] == "GET" and got["target"].endswith("/mapped/caf%C3%A9?a=1&b=2"), got["target"]
    assert got["pathInfo"].endswith("/mapped/café") and got["queryString"] == "a=1&b=2", got
    assert got["serverName"] == "localhost" and got["serverPort"] == args.port, got
    assert got["scheme"] == ("https" if args.tls else "http"), got["scheme"]
    assert got["headers"][0] == ["host", f"localhost:{args.port}"], got["headers"]
    assert not any(name.startswith(":") for name in names), names
    assert ["cookie", "a=1; b=2"] in got["headers"] and names.count("cookie") == 1, got["headers"]
    assert [value for name, value in got["headers"] if name == "x-tag"] == ["one", "two"], got["headers"]
    assert "transfer-encoding" not in names and got["body"]["expectedLength"] == 0, got
    capabilities = got["capabilities"]
    assert capabilities["supportsTrailers"] and capabilities["supportsInformationalResponses"], capabilities
    return {"serverProtocol": got["serverProtocol"], "metaVariables": got["metaVariables"], "headers": got["headers"]}


def case_host_mismatch():
    client = Client()
    state = client.response(client.request("/", headers=[("host", "elsewhere.example")]))
    assert client.status(state) == 400, state
    agreeing = client.response(client.request("/", headers=[("host", f"LOCALHOST:{args.port}")]))
    assert client.status(agreeing) == 200, agreeing
    return {"status": 400}


def case_connection_specific():
    client = Client()
    results = {}
    for name, value in [("connection", "keep-alive"), ("transfer-encoding", "chunked"), ("upgrade", "websocket"), ("te", "gzip")]:
        state = client.response(client.request("/", headers=[(name, value)]))
        assert state["reset"] == h2.errors.ErrorCodes.PROTOCOL_ERROR, (name, state)
        results[name] = state["reset"]
    ok = client.response(client.request("/", headers=[("te", "trailers")]))
    assert client.status(ok) == 200, ok
    return results


def case_origin_form():
    client = Client()
    state = client.response(client.request("http://localhost/absolute"))
    assert client.status(state) == 400, state
    return {"status": 400}


def case_echo():
    client = Client()
    body = bytes((index * 7) % 251 for index in range(1 << 20))
    stream_id = client.request("/echo", method="POST", headers=[("x-probe-echo", "1")], body=body)
    state = client.response(stream_id, timeout=60)
    assert client.status(state) == 200 and state["body"] == body, (client.status(state), len(state["body"]))
    return {"bytes": len(body)}


def case_unknown_length():
    client = Client()
    stream_id = client.request("/upload", method="POST", body=b"x" * 1000)
    got = report(client.response(stream_id))
    assert got["body"]["expectedLength"] is None and got["body"]["bytesRead"] == 1000, got["body"]
    assert all(name != "transfer-encoding" for name, _ in got["headers"]), got["headers"]
    stream_id = client.request("/upload", method="POST", headers=[("content-length", "1000")], body=b"y" * 1000)
    got = report(client.response(stream_id))
    assert got["body"]["expectedLength"] == 1000 and got["body"]["bytesRead"] == 1000, got["body"]
    return {"ok": True}


def case_trailers():
    client = Client()
    stream_id = client.request("/trailers", method="POST", headers=[("x-probe-trailer", "X-Checksum: abc")], body=b"hello", end=False)
    client.conn.send_headers(stream_id, [("x-request-trailer", "sent")], end_stream=True)
    client.flush()
    state = client.response(stream_id)
    got = report(state)
    assert got["body"]["bytesRead"] == 5, got["body"]
    assert all(name != "x-request-trailer" for name, _ in got["headers"]), got["headers"]
    assert ("x-checksum", "abc") in (state["trailers"] or []), state["trailers"]
    return {"trailers": state["trailers"]}


def case_early_hints():
    client = Client()
    state = client.response(client.request("/", headers=[("x-probe-early-hint", "</style.css>; rel=preload")]))
    assert state["informational"] and state["informational"][0][":status"] == "103", state["informational"]
    assert state["informational"][0]["link"] == "</style.css>; rel=preload", state["informational"]
    assert client.status(state) == 200, state
    return {"informational": state["informational"]}


def case_reset_cancels():
    client = Client()
    token = f"h2-reset-{os.getpid()}-{time.time_ns()}"
    stream_id = client.request("/", headers=[("x-probe-id", token), ("x-probe-stream", "100000"), ("x-probe-chunks", "100"),
                                             ("x-probe-chunk-delay", "20")])
    state = client.stream(stream_id)
    client.wait(lambda: len(state["body"]) > 0, what="the first DATA frame")
    client.conn.reset_stream(stream_id, h2.errors.ErrorCodes.CANCEL)
    client.flush()
    record_state = client.response(client.request(f"/_probe/completions/{token}?wait=5000"))
    record = report(record_state)
    assert record["state"] == "completed" and record["clientDisconnected"] is True and record["hookRuns"] == 1, record
    assert record["succeeded"] is False, record
    return {"record": record}


def read_frames(sock, seconds, on_frame):
    """Reads frames for at most `seconds` or until the server closes; `on_frame(type, flags,
    stream, payload)` sees each, and the server's SETTINGS and PING are acknowledged."""
    buffer, deadline = b"", time.time() + seconds
    while time.time() < deadline:
        sock.settimeout(max(0.01, deadline - time.time()))
        try:
            data = sock.recv(65536)
        except socket.timeout:
            return False
        except OSError:
            data = b""
        if not data:
            return True
        buffer += data
        while len(buffer) >= 9 and len(buffer) >= 9 + int.from_bytes(buffer[0:3], "big"):
            length, frame_type, flags = int.from_bytes(buffer[0:3], "big"), buffer[3], buffer[4]
            stream, payload, buffer = int.from_bytes(buffer[5:9], "big") & 0x7FFFFFFF, buffer[9:9 + length], buffer[9 + length:]
            if frame_type == 6 and not flags & 1:
                sock.sendall(PingFrame(0, opaque_data=payload, flags=["ACK"]).serialize())
            elif frame_type == 4 and not flags & 1:
                sock.sendall(SettingsFrame(0, flags=["ACK"]).serialize())
            on_frame(frame_type, flags, stream, payload)
    return False


def case_max_streams():
    # Raw frames: h2 will not open more streams than the server allows, nor read past a GOAWAY.
    sock = raw_connection()
    settings = {}

    def server_settings(frame_type, flags, stream, payload):
        if frame_type == 4 and not flags & 1:
            for start in range(0, len(payload) - 5, 6):
                settings[int.from_bytes(payload[start:start + 2], "big")] = int.from_bytes(payload[start + 2:start + 6], "big")
    deadline = time.time() + 5
    while 3 not in settings and time.time() < deadline:
        read_frames(sock, 0.2, server_settings)
    limit = settings[3]
    time.sleep(0.2)  # the server applies its limit once its SETTINGS are acknowledged
    encoder = hpack.Encoder()
    for index in range(limit + 1):
        block = encoder.encode([(":method", "GET"), (":scheme", "http"), (":path", f"/slow/{index}"),
                                (":authority", f"localhost:{args.port}"), ("x-probe-delay", "1000")])
        sock.sendall(HeadersFrame(1 + 2 * index, data=block, flags=["END_HEADERS", "END_STREAM"]).serialize())
    seen = {"goaway": None, "reset": {}, "answered": set()}
    decoder = hpack.Decoder()

    def collect(frame_type, flags, stream, payload):
        if frame_type == 7:
            seen["goaway"] = int.from_bytes(payload[4:8], "big")
        elif frame_type == 3:
            seen["reset"][stream] = int.from_bytes(payload[0:4], "big")
        elif frame_type == 1 and dict(decoder.decode(payload)).get(":status") == "200":
            seen["answered"].add(stream)
    closed = read_frames(sock, 10, collect)
    extra = 1 + 2 * limit
    # swift-nio-http2 ends the connection (GOAWAY PROTOCOL_ERROR) rather than resetting the one
    # stream; either way the stream is refused and the streams within the limit are answered.
    refused = seen["reset"].get(extra) in (h2.errors.ErrorCodes.REFUSED_STREAM, h2.errors.ErrorCodes.PROTOCOL_ERROR) \
        or seen["goaway"] == h2.errors.ErrorCodes.PROTOCOL_ERROR
    assert refused and extra not in seen["answered"], seen
    assert len(seen["answered"]) == limit, f"{len(seen['answered'])} of {limit} streams within the limit answered: {seen}"
    sock.close()
    still_served()
    return {"limit": limit, "goaway": seen["goaway"], "reset": seen["reset"], "closed": closed}


def case_header_count():
    client = Client()
    state = client.response(client.request("/", headers=[(f"x-field-{index}", "v") for index in range(150)]))
    assert client.status(state) == 431, state
    return {"status": 431}


def case_header_list_size():
    client = Client()
    client.wait(lambda: 6 in client.remote_settings, what="the server's SETTINGS")
    limit = client.remote_settings[6]
    big = "v" * 8000
    fields = [(f"x-big-{index}", big) for index in range(limit // 8000 + 2)]
    client.request("/", headers=fields)
    try:
        client.wait(lambda: client.goaway is not None or client.closed or any(s["reset"] is not None for s in client.streams.values()),
                    what="a refusal")
    except Closed:
        pass
    reset = [s["reset"] for s in client.streams.values() if s["reset"] is not None]
    assert client.goaway == h2.errors.ErrorCodes.COMPRESSION_ERROR, f"the oversized header list got {client.goaway}, {reset}"
    still_served()
    return {"limit": limit, "goaway": client.goaway, "reset": reset}


def case_hpack_table_size():
    sock = raw_connection()
    encoder = hpack.Encoder()
    encoder.header_table_size = 1 << 16  # announces a table 16 times the 4096 bytes the server allows
    frame = HeadersFrame(1, data=encoder.encode([(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "localhost")]),
                         flags=["END_HEADERS", "END_STREAM"])
    sock.sendall(frame.serialize())
    code = read_goaway(sock)
    assert code == h2.errors.ErrorCodes.COMPRESSION_ERROR, code
    sock.close()
    still_served()
    return {"goaway": code}


def case_rapid_reset():
    sock = raw_connection()
    encoder = hpack.Encoder()
    frames = b""
    for index in range(500):
        stream_id = 1 + 2 * index
        block = encoder.encode([(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "localhost")])
        frames += HeadersFrame(stream_id, data=block, flags=["END_HEADERS", "END_STREAM"]).serialize()
        frames += RstStreamFrame(stream_id, error_code=8).serialize()
    try:
        sock.sendall(frames)
    except OSError:
        pass
    code = read_goaway(sock)
    assert code == h2.errors.ErrorCodes.ENHANCE_YOUR_CALM, code
    sock.close()
    still_served()
    return {"goaway": code}


def case_continuation_flood():
    sock = raw_connection()
    block = headers_block()
    frames = HeadersFrame(1, data=block[:1]).serialize()
    frames += b"".join(ContinuationFrame(1, data=b"").serialize() for _ in range(1000))
    try:
        sock.sendall(frames)
    except OSError:
        pass
    code = read_goaway(sock)
    assert code in (h2.errors.ErrorCodes.ENHANCE_YOUR_CALM, h2.errors.ErrorCodes.PROTOCOL_ERROR), code
    sock.close()
    still_served()
    return {"goaway": code}


def flood(frame_bytes, count):
    sock = raw_connection()
    try:
        sock.sendall(frame_bytes * count)
    except OSError:
        pass
    code = read_goaway(sock)
    assert code == h2.errors.ErrorCodes.ENHANCE_YOUR_CALM, code
    sock.close()
    still_served()
    return {"goaway": code}


def case_settings_flood():
    return flood(SettingsFrame(0, settings={4: 65535}).serialize(), 5000)


def case_ping_flood():
    return flood(PingFrame(0, opaque_data=b"12345678").serialize(), 5000)


def case_empty_data_flood():
    sock = raw_connection()
    frames = HeadersFrame(1, data=headers_block(), flags=["END_HEADERS"]).serialize()
    frames += DataFrame(1, data=b"").serialize() * 1000
    try:
        sock.sendall(frames)
    except OSError:
        pass
    code = read_goaway(sock)
    assert code == h2.errors.ErrorCodes.ENHANCE_YOUR_CALM, code
    sock.close()
    still_served()
    return {"goaway": code}


def case_early_response():
    # The application answers without reading the body, with more than the client's window
    # holds; the client reads only after a pause, so the response's end waits in the server
    # for WINDOW_UPDATEs. The RST_STREAM NO_ERROR that asks the client to stop sending must
    # follow the whole response, not discard what flow control still holds (RFC 9113 §8.1).
    client = Client()
    size = 300000
    stream_id = client.request("/early", method="POST", headers=[("x-probe-body", "ignore"), ("x-probe-stream", str(size))],
                               body=b"x" * 100, end=False)
    time.sleep(1)
    state = client.response(stream_id, timeout=20)
    assert client.status(state) == 200, state
    assert state["ended"] and len(state["body"]) == size, f"{len(state['body'])} of {size} bytes, ended {state['ended']}"
    client.wait(lambda: state["reset"] is not None, what="the RST_STREAM after the response")
    assert state["reset"] == h2.errors.ErrorCodes.NO_ERROR, state["reset"]
    # The connection goes on.
    assert client.status(client.response(client.request("/after"))) == 200
    return {"bytes": len(state["body"]), "reset": state["reset"]}


def case_window_never_opens():
    client = Client(settings={h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 0})
    start = time.time()
    stuck = client.request("/", headers=[("x-probe-stream", "10000")])
    state = client.response(stuck, timeout=20)
    elapsed = time.time() - start
    assert state["reset"] is not None and not state["body"], state
    # Another stream on the same connection, whose window the client opens, is answered.
    other = client.request("/after")
    client.conn.increment_flow_control_window(1 << 20, other)
    client.flush()
    assert client.status(client.response(other)) == 200
    return {"reset": state["reset"], "seconds": round(elapsed, 1)}


def case_graceful_stop():
    # Raw frames: h2 treats a GOAWAY as the end of the connection and refuses what follows it,
    # the PING of the two-step GOAWAY and the response of the stream still open.
    sock = raw_connection()
    block = hpack.Encoder().encode([(":method", "GET"), (":scheme", "http"), (":path", "/slow"),
                                    (":authority", f"localhost:{args.port}"), ("x-probe-delay", "1500")])
    sock.sendall(HeadersFrame(1, data=block, flags=["END_HEADERS", "END_STREAM"]).serialize())
    time.sleep(0.3)
    os.kill(args.pid, signal.SIGTERM)
    decoder = hpack.Decoder()
    goaways, status, ended, buffer = [], None, False, b""
    deadline = time.time() + 10
    while time.time() < deadline:
        sock.settimeout(max(0.01, deadline - time.time()))
        try:
            data = sock.recv(65536)
        except socket.timeout:
            break
        if not data:
            break
        buffer += data
        while len(buffer) >= 9 and len(buffer) >= 9 + int.from_bytes(buffer[0:3], "big"):
            length, frame_type, flags = int.from_bytes(buffer[0:3], "big"), buffer[3], buffer[4]
            stream, payload, buffer = int.from_bytes(buffer[5:9], "big") & 0x7FFFFFFF, buffer[9:9 + length], buffer[9 + length:]
            if frame_type == 7:
                goaways.append((int.from_bytes(payload[0:4], "big") & 0x7FFFFFFF, int.from_bytes(payload[4:8], "big")))
            elif frame_type == 6 and not flags & 1:
                sock.sendall(PingFrame(0, opaque_data=payload, flags=["ACK"]).serialize())
            elif frame_type == 4 and not flags & 1:
                sock.sendall(SettingsFrame(0, flags=["ACK"]).serialize())
            elif frame_type == 1 and stream == 1:
                status = dict(decoder.decode(payload)).get(":status")
                ended = ended or bool(flags & 1)
            elif frame_type == 0 and stream == 1:
                ended = ended or bool(flags & 1)
    else:
        raise AssertionError("the connection stayed open 10 s after the stop")
    assert goaways and all(code == 0 for _, code in goaways), goaways
    assert goaways[-1][0] == 1, f"the last GOAWAY does not name stream 1 as the last one: {goaways}"
    assert status == "200" and ended, (status, ended)
    return {"goaways": goaways}


def main():
    global args
    parser = argparse.ArgumentParser()
    parser.add_argument("case")
    parser.add_argument("port", type=int)
    parser.add_argument("--tls")
    parser.add_argument("--pid", type=int)
    args = parser.parse_args()
    result = globals()["case_" + args.case.replace("-", "_")]()
    print(json.dumps({"case": args.case, "ok": True, **(result or {})}))


if __name__ == "__main__":
    main()
