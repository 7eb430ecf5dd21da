"""WebSocket cases against the standalone server, with real clients: Python's `websockets` as a
browser-like client, `wsproto` for frames a client sends one by one, and raw bytes for the frames
no honest client sends. Run by SluiceHTTPTests/WebSocketClientTests.swift:

    python3 websocket_cases.py PORT GROUP

The server serves `/echo` (echoes text and binary), `/close/CODE` (closes with CODE, reason
"server"), `/throw` (the session throws after the first message), `/idle` (never reads) and
`/drain` (reads and drops); its frame timeout is 2 s. Each
case prints one JSON line: {"case": ..., "ok": true|false, "detail": ...}. Every socket has a
timeout: a server that stops answering fails a case, it never hangs the run.
"""

import asyncio
import json
import os
import socket
import struct
import sys
import time

import websockets
from websockets.exceptions import ConnectionClosed
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, BytesMessage, CloseConnection, Ping, Pong, Request, TextMessage

PORT = int(sys.argv[1])
GROUP = sys.argv[2]
LIMIT = 64 * 1024  # the server's maxWebSocketMessageBytes in these tests
TIMEOUT = 10


def report(case, ok, detail=""):
    print(json.dumps({"case": case, "ok": bool(ok), "detail": str(detail)}), flush=True)


# --- raw frames ---------------------------------------------------------------------------

def frame(opcode, payload=b"", fin=True, rsv=0, mask=b"\x37\xfa\x21\x3d"):
    """A client frame, masked with `mask` (unmasked when None)."""
    first = (0x80 if fin else 0) | (rsv << 4) | opcode
    mask_bit = 0x80 if mask is not None else 0
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", first, mask_bit | n)
    elif n < 65536:
        header = struct.pack("!BBH", first, mask_bit | 126, n)
    else:
        header = struct.pack("!BBQ", first, mask_bit | 127, n)
    if mask is None:
        return header + payload
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def close_payload(code, reason=b""):
    return struct.pack("!H", code) + reason


class Raw:
    """A WebSocket opened with wsproto; frames sent raw or through wsproto, the server's frames
    parsed by wsproto (which also checks that they are valid server frames)."""

    def __init__(self, path="/echo"):
        self.sock = socket.create_connection(("127.0.0.1", PORT), timeout=TIMEOUT)
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.sock.sendall(self.ws.send(Request(host=f"127.0.0.1:{PORT}", target=path)))
        self.pending = []
        while not any(isinstance(e, AcceptConnection) for e in self.pending):
            self._read_into_events()
        self.pending = [e for e in self.pending if not isinstance(e, AcceptConnection)]

    def _read_into_events(self):
        data = self.sock.recv(65536)
        if not data:
            self.ws.receive_data(None)
            self.pending.extend(self.ws.events())
            raise EOFError
        self.ws.receive_data(data)
        self.pending.extend(self.ws.events())

    def send_raw(self, data):
        self.sock.sendall(data)

    def send(self, event):
        self.sock.sendall(self.ws.send(event))

    def next_event(self):
        while not self.pending:
            self._read_into_events()
        return self.pending.pop(0)

    def closed_by_server(self):
        """Whether the server closes the TCP connection (end of file) within the timeout."""
        try:
            while True:
                if not self.sock.recv(65536):
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()


def expect_close(raw, code):
    """Reads events up to the server's close; returns (ok, detail)."""
    events = []
    try:
        while True:
            event = raw.next_event()
            events.append(type(event).__name__)
            if isinstance(event, CloseConnection):
                return event.code == code, f"close {event.code} {event.reason!r} after {events[:-1]}"
    except EOFError:
        return False, f"connection ended without a close frame after {events}"
    except Exception as error:  # wsproto refusing a server frame is a failure too
        return False, f"{type(error).__name__}: {error} after {events}"


def violation(case, code, *frames, path="/echo"):
    raw = Raw(path)
    try:
        for data in frames:
            raw.send_raw(data)
        ok, detail = expect_close(raw, code)
        if ok:
            # The server waits for the client's close, then closes the connection (Spec WS-8).
            raw.send_raw(frame(0x8, close_payload(code)))
            ok = raw.closed_by_server()
            detail += "; closed the connection after the client's close" if ok else "; did not close the connection"
        report(case, ok, detail)
    finally:
        raw.close()


def frames_group():
    # [WS-6] fragments with a ping between them: the pong comes first, then the whole message.
    raw = Raw()
    raw.send(TextMessage("hel", message_finished=False))
    raw.send(Ping(b"mid"))
    raw.send(TextMessage("lo", message_finished=False))
    raw.send(TextMessage(" world", message_finished=True))
    first, second = raw.next_event(), raw.next_event()
    text = second.data if isinstance(second, TextMessage) else None
    while isinstance(second, TextMessage) and not second.message_finished:
        second = raw.next_event()
        text += second.data
    report("fragments-with-ping-between", isinstance(first, Pong) and first.payload == b"mid" and text == "hello world",
           f"{first}, {text!r}")
    raw.send(BytesMessage(b"\x00" * 1000, message_finished=False))
    raw.send(BytesMessage(b"\x01" * 1000, message_finished=True))
    event = raw.next_event()
    data = bytes(event.data)
    while not event.message_finished:
        event = raw.next_event()
        data += bytes(event.data)
    report("fragmented-binary", data == b"\x00" * 1000 + b"\x01" * 1000, len(data))
    raw.send(CloseConnection(code=1000))
    ok, detail = expect_close(raw, 1000)
    report("close-answered", ok and raw.closed_by_server(), detail)
    raw.close()

    violation("unmasked-frame", 1002, frame(0x1, b"hi", mask=None))
    violation("reserved-bit", 1002, frame(0x1, b"hi", rsv=4))
    violation("unknown-opcode-3", 1002, frame(0x3, b""))
    violation("unknown-opcode-B", 1002, frame(0xB, b""))
    violation("continuation-without-start", 1002, frame(0x0, b"hi"))
    violation("new-message-inside-fragmented", 1002, frame(0x1, b"a", fin=False), frame(0x1, b"b"))
    violation("fragmented-ping", 1002, frame(0x9, b"", fin=False))
    violation("ping-of-126-bytes", 1002, frame(0x9, b"x" * 126))
    violation("close-of-one-byte", 1002, frame(0x8, b"\x03"))
    violation("close-code-1005", 1002, frame(0x8, close_payload(1005)))
    violation("close-code-2999", 1002, frame(0x8, close_payload(2999)))
    violation("close-reason-not-utf8", 1007, frame(0x8, close_payload(1000, b"\xff")))
    violation("reserved-bit-2", 1002, frame(0x2, b"", rsv=2))
    violation("reserved-bit-3", 1002, frame(0x2, b"", rsv=1))
    violation("fragmented-close", 1002, frame(0x8, close_payload(1000), fin=False))
    violation("close-of-126-bytes", 1002, frame(0x8, close_payload(1000, b"x" * 124)))
    violation("pong-of-126-bytes", 1002, frame(0xA, b"x" * 126))
    for code in (0, 999, 1004, 1006, 1015, 1016, 2000, 5000, 65535):
        violation(f"close-code-{code}", 1002, frame(0x8, close_payload(code)))
    # A length no server accepts, in the 64-bit form: refused from the header, without the payload.
    violation("length-2-to-the-63-minus-1", 1009, b"\x82\xff\x7f" + b"\xff" * 7 + b"\x37\xfa\x21\x3d")
    violation("text-not-utf8", 1007, frame(0x1, b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited"))
    # The bad byte is in the first fragment: the server fails there, without the rest (fail fast).
    violation("text-not-utf8-first-fragment", 1007, frame(0x1, b"ok \xc0\xaf", fin=False))
    violation("text-ending-mid-character", 1007, frame(0x1, b"\xe2\x82"))
    # A character split across fragments whose second half is not a continuation byte.
    violation("text-not-utf8-across-fragments", 1007, frame(0x1, b"a\xe2", fin=False), frame(0x0, b"\x28\xa1"))
    # Valid so far, then a surrogate begins in a later fragment.
    violation("text-surrogate-in-third-fragment", 1007, frame(0x1, b"ok", fin=False), frame(0x0, b" fine", fin=False),
              frame(0x0, b"\xed\xa0", fin=False))
    # A message that ends with a fragment cut mid-character.
    violation("text-last-fragment-mid-character", 1007, frame(0x1, b"\xe2\x82", fin=False), frame(0x0, b""))
    violation("message-over-limit", 1009, frame(0x2, b"\x00" * (LIMIT + 1)))
    violation("fragments-over-limit", 1009, frame(0x2, b"\x00" * LIMIT, fin=False), frame(0x0, b"\x00"))
    # A character split across three fragments is whole; control frames of 125 bytes pass.
    raw = Raw()
    raw.send_raw(frame(0x1, b"\xf0", fin=False) + frame(0x0, b"\x9f\x8e", fin=False) + frame(0x0, b"\xb8"))
    event = raw.next_event()
    text = event.data
    while not event.message_finished:
        event = raw.next_event()
        text += event.data
    report("text-character-across-fragments", text == "\U0001F3B8", repr(text))
    raw.send_raw(frame(0x9, b"p" * 125))
    event = raw.next_event()
    report("ping-of-125-bytes", isinstance(event, Pong) and event.payload == b"p" * 125, event)
    raw.close()
    # Codes a client may send are answered with themselves (1012 to 1014 too, which wsproto does
    # not know and would refuse to read: the state machine's tests have them).
    for code in (1000, 1001, 1003, 1007, 1010, 1011, 3000, 4999):
        raw = Raw()
        raw.send_raw(frame(0x8, close_payload(code, b"why")))
        ok, detail = expect_close(raw, code)
        report(f"close-code-{code}-answered", ok and raw.closed_by_server(), detail)
        raw.close()
    # A message at the limit passes.
    raw = Raw()
    raw.send_raw(frame(0x2, b"\x00" * LIMIT))
    event = raw.next_event()
    data = bytes(event.data)
    while not event.message_finished:
        event = raw.next_event()
        data += bytes(event.data)
    report("message-at-limit", len(data) == LIMIT, len(data))
    raw.close()


async def client_group():
    uri = f"ws://127.0.0.1:{PORT}"
    async with websockets.connect(uri + "/echo", max_size=None, open_timeout=TIMEOUT) as ws:
        await ws.send("héllo")
        text = await asyncio.wait_for(ws.recv(), TIMEOUT)
        await ws.send(b"\x00\xff")
        data = await asyncio.wait_for(ws.recv(), TIMEOUT)
        report("echo", text == "héllo" and data == b"\x00\xff", f"{text!r} {data!r}")
        big = os.urandom(LIMIT)
        await ws.send(big)
        report("echo-64k", await asyncio.wait_for(ws.recv(), TIMEOUT) == big)
        await ws.send(["frag", "men", "ted"])
        report("fragmented-send", await asyncio.wait_for(ws.recv(), TIMEOUT) == "fragmented")
        latency = await asyncio.wait_for(await ws.ping(b"tick"), TIMEOUT)
        report("ping-answered", latency >= 0, latency)
        await ws.close(4000, "bye")
        report("client-close-echoed", ws.close_code == 4000, f"{ws.close_code} {ws.close_reason!r}")

    async with websockets.connect(uri + "/close/4001", open_timeout=TIMEOUT) as ws:
        try:
            await asyncio.wait_for(ws.recv(), TIMEOUT)
            report("server-close", False, "a message instead of the close")
        except ConnectionClosed as closed:
            report("server-close", closed.rcvd.code == 4001 and closed.rcvd.reason == "server", closed.rcvd)

    async with websockets.connect(uri + "/throw", open_timeout=TIMEOUT) as ws:
        await ws.send("boom")
        try:
            await asyncio.wait_for(ws.recv(), TIMEOUT)
            report("session-throws-1011", False, "a message instead of the close")
        except ConnectionClosed as closed:
            report("session-throws-1011", closed.rcvd is not None and closed.rcvd.code == 1011, closed.rcvd)

    async with websockets.connect(uri + "/echo", max_size=None, open_timeout=TIMEOUT) as ws:
        await ws.send(b"\x00" * (LIMIT + 1))
        try:
            await asyncio.wait_for(ws.recv(), TIMEOUT)
            report("too-big-1009", False, "echoed")
        except ConnectionClosed as closed:
            report("too-big-1009", closed.rcvd is not None and closed.rcvd.code == 1009, closed.rcvd)

    # Subprotocols: the server picks one the client offered.
    async with websockets.connect(uri + "/echo", subprotocols=["nope", "chat"], open_timeout=TIMEOUT) as ws:
        report("subprotocol", ws.subprotocol == "chat", ws.subprotocol)

    # 50 clients at once, each with its own conversation.
    async def talk(index):
        async with websockets.connect(uri + "/echo", open_timeout=TIMEOUT) as ws:
            for turn in range(20):
                await ws.send(f"{index}-{turn}")
                if await asyncio.wait_for(ws.recv(), TIMEOUT) != f"{index}-{turn}":
                    return False
            return True
    results = await asyncio.gather(*(talk(i) for i in range(50)))
    report("fifty-clients", all(results), f"{sum(results)} of 50")

    # An HTTP request to a WebSocket endpoint: 426, naming the upgrade.
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=TIMEOUT)
    sock.sendall(b"GET /echo HTTP/1.1\r\nHost: a\r\n\r\n")
    head = sock.recv(65536).decode("latin-1")
    sock.close()
    report("plain-get-426", head.startswith("HTTP/1.1 426") and "Upgrade: websocket" in head, head.split("\r\n")[0])


def closing_group():
    # The server's close, unanswered: the connection closes after the close timeout (0.5 s here).
    raw = Raw("/close/4002")
    ok, detail = expect_close(raw, 4002)
    start = time.monotonic()
    closed = raw.closed_by_server()
    elapsed = time.monotonic() - start
    report("close-timeout", ok and closed and 0.2 < elapsed < 5, f"{detail}; closed after {elapsed:.2f} s")
    raw.close()
    # The client's close is answered with its code, and the server closes the TCP connection first.
    raw = Raw()
    raw.send_raw(frame(0x8, close_payload(4003, b"done")))
    ok, detail = expect_close(raw, 4003)
    report("client-close", ok and raw.closed_by_server(), detail)
    raw.close()
    # A close without a code is answered with one without a code.
    raw = Raw()
    raw.send_raw(frame(0x8, b""))
    try:
        event = raw.next_event()
        report("close-without-code", isinstance(event, CloseConnection) and event.code == 1005, event)
    except EOFError:
        report("close-without-code", False, "no close frame")
    raw.close()


def backpressure_group():
    # A session that never reads: the server stops reading, so the client cannot push without bound.
    # A client that reads nothing, pinging a session that reads: the server stops reading once
    # its pongs back up, so that it never queues them without bound.
    for case, path, data in (("unread-messages", "/idle", frame(0x2, b"\x00" * 4096)), ("unread-pongs", "/drain", frame(0x9, b"p" * 100))):
        raw = Raw(path)
        raw.sock.settimeout(0.5)
        sent = 0
        deadline = time.monotonic() + 3
        try:
            while time.monotonic() < deadline and sent < 256 * 1024 * 1024:
                raw.sock.sendall(data)
                sent += len(data)
        except socket.timeout:
            pass
        report(case, sent < 64 * 1024 * 1024, f"{sent} bytes went in before the client had to wait")
        raw.close()


def slow_group():
    # [WS-15] A frame dribbled a byte every 0.25 s: failed with 1008 once the frame timeout
    # (2 s here) passes, though bytes keep arriving.
    raw = Raw()
    data = frame(0x1, b"slowloris-slowloris")
    start = time.monotonic()
    try:
        for byte in data[:-1]:
            raw.send_raw(bytes([byte]))
            time.sleep(0.25)
            if time.monotonic() - start > 6:
                break
    except OSError:
        pass
    raw.sock.settimeout(TIMEOUT)
    ok, detail = expect_close(raw, 1008)
    elapsed = time.monotonic() - start
    report("slow-frame-1008", ok and 1.5 < elapsed < 8, f"{detail} after {elapsed:.2f} s")
    raw.close()
    # A header alone, then nothing: the same.
    raw = Raw()
    raw.send_raw(frame(0x2, b"\x00" * 1000)[:8])
    start = time.monotonic()
    ok, detail = expect_close(raw, 1008)
    elapsed = time.monotonic() - start
    report("stalled-frame-1008", ok and 1.5 < elapsed < 8, f"{detail} after {elapsed:.2f} s")
    raw.close()
    # Quiet longer than the frame timeout between frames is fine, and so is a frame in two reads
    # well within it.
    raw = Raw()
    raw.send_raw(frame(0x1, b"before"))
    first = raw.next_event()
    time.sleep(3)
    data = frame(0x1, b"after")
    raw.send_raw(data[:4])
    time.sleep(0.5)
    raw.send_raw(data[4:])
    second = raw.next_event()
    report("quiet-between-frames", getattr(first, "data", None) == "before" and getattr(second, "data", None) == "after",
           f"{first} {second}")
    raw.close()


async def flood_group():
    # [WS-7] A ping flood from a client that reads its pongs: every ping answered, in order, and
    # another client's echo keeps its pace meanwhile.
    count = 5000
    raw = Raw()
    other = await websockets.connect(f"ws://127.0.0.1:{PORT}/echo", open_timeout=TIMEOUT)
    try:
        burst = b"".join(frame(0x9, struct.pack("!I", i)) for i in range(count))
        loop = asyncio.get_running_loop()
        sending = loop.run_in_executor(None, raw.send_raw, burst)
        latencies = []
        for turn in range(20):
            start = time.monotonic()
            await other.send(f"turn {turn}")
            await asyncio.wait_for(other.recv(), TIMEOUT)
            latencies.append(time.monotonic() - start)
        pongs = []

        def read_pongs():
            while len(pongs) < count:
                event = raw.next_event()
                if isinstance(event, Pong):
                    pongs.append(struct.unpack("!I", event.payload)[0])
        await loop.run_in_executor(None, read_pongs)
        await sending
        report("ping-flood-answered-in-order", pongs == list(range(count)), f"{len(pongs)} pongs")
        report("ping-flood-spares-others", max(latencies) < 2, f"slowest echo {max(latencies):.3f} s")
    finally:
        raw.close()
        await other.close()


if GROUP == "frames":
    frames_group()
elif GROUP == "client":
    asyncio.run(client_group())
elif GROUP == "closing":
    closing_group()
elif GROUP == "backpressure":
    backpressure_group()
elif GROUP == "slow":
    slow_group()
elif GROUP == "flood":
    asyncio.run(flood_group())
else:
    sys.exit(f"unknown group {GROUP}")
