// The standalone server's protocol cases, in memory and byte for byte: framing, bodies both
// ways, 100-continue, errors after a response, graceful stops and timeouts, on NIO's
// EmbeddedChannel with no socket and no clock (Spec HTTP-2, HTTP-3, BODY-5, BODY-6, ERR-2,
// LIFE-5, SEC-3).

import NIOCore
import Sluice
import SluiceHTTP
import Testing

@Suite("The connection handler, in memory")
struct ConnectionHandlerTests {
    /// Streams its body back as it arrives (`/echo`), or refuses with 403 without reading
    /// (`/refuse`), or answers a streamed body after the gate opens (`/stream`), or answers
    /// its method and path.
    static func app(gate: Gate = Gate(), journal: Journal = Journal()) -> App {
        App { request in
            journal.record(request.pathInfo)
            switch request.pathInfo {
            case "/echo":
                let body = request.body
                return Response(
                    headers: ["Content-Type": "application/octet-stream"],
                    body: .stream { writer in
                        for try await chunk in body {
                            try await writer.write(chunk)
                            try await writer.flush()
                        }
                    })
            case "/refuse":
                return Response(
                    status: .forbidden, headers: ["Content-Type": "text/plain"],
                    body: .stream { writer in
                        try await writer.write("no\n")
                    })
            case "/stream":
                return Response(
                    headers: ["Content-Type": "text/plain"],
                    body: .stream { writer in
                        try await writer.write("first\n")
                        try await writer.flush()
                        await gate.wait()
                        try await writer.write("second\n")
                    })
            case "/read":
                let body = try await request.body.collect(upTo: 1 << 20)
                return .text("read \(body.count)\n")
            default:
                return .text("\(request.method) \(request.pathInfo)\n")
            }
        }
    }

    static let streamedHead = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
    static let echoHead = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"

    @Test("[HTTP-2] a GET is answered in full and the connection kept")
    func get() throws {
        let connection = try EmbeddedConnection(Self.app())
        try connection.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(connection.output() == textResponse("GET /a\n"))
        #expect(!connection.isClosed)
    }

    @Test("[HTTP-2] [RESP-6] HEAD gets the head only; HTTP/1.0 gets keep-alive when it asks, and a close-delimited stream")
    func headAndHTTP10() throws {
        let gate = Gate()
        let connection = try EmbeddedConnection(Self.app(gate: gate))
        try connection.send("HEAD /a HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(connection.output() == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 8\r\n\r\n")
        try connection.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(
            connection.output() == "HTTP/1.0 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 7\r\nConnection: keep-alive\r\n\r\nGET /b\n")
        try connection.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        gate.open()
        connection.run()
        #expect(connection.output() == "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nfirst\nsecond\n")
        #expect(connection.isClosed)
    }

    @Test("[BODY-6] a streamed response that reads the body: 100 Continue before the head, then the echo")
    func continueThenEcho() throws {
        let connection = try EmbeddedConnection(Self.app())
        try connection.send("PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        #expect(connection.output() == "HTTP/1.1 100 Continue\r\n\r\n" + Self.echoHead)
        try connection.send("hello")
        #expect(connection.output() == "5\r\nhello\r\n0\r\n\r\n")
        #expect(!connection.isClosed)
        try connection.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(connection.output() == textResponse("GET /next\n"))
    }

    @Test("[BODY-6] the body read before the response: 100 Continue on the first read")
    func continueOnRead() throws {
        let connection = try EmbeddedConnection(Self.app())
        try connection.send("POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")
        #expect(connection.output() == "HTTP/1.1 100 Continue\r\n\r\n")
        try connection.send("abc")
        #expect(connection.output() == textResponse("read 3\n"))
    }

    @Test("[BODY-6] no 100 for a refusal or a response in hand, and the unread body closes the connection; a client that sends at once is echoed")
    func noContinue() throws {
        let refused = try EmbeddedConnection(Self.app())
        try refused.send("PUT /refuse HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        #expect(
            refused.output()
                == "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nno\n\r\n0\r\n\r\n")
        #expect(refused.isClosed)

        let inHand = try EmbeddedConnection(Self.app())
        try inHand.send("PUT /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        #expect(inHand.output() == textResponse("PUT /a\n", closes: true))
        #expect(inHand.isClosed)

        // The head is answered before the decoder hands over the body behind it: a 100 goes out,
        // which RFC 9110 §10.1.1 allows after the body started.
        let eager = try EmbeddedConnection(Self.app())
        try eager.send("PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello")
        #expect(eager.output() == "HTTP/1.1 100 Continue\r\n\r\n" + Self.echoHead + "5\r\nhello\r\n0\r\n\r\n")
        #expect(!eager.isClosed)
    }

    @Test("[BODY-5] an unread body is dropped after the response and the connection kept; one longer than the discard limit closes it")
    func unreadBody() throws {
        let limits = HTTPServerConfiguration.Limits(maxDiscardedBodyBytes: 10)
        let kept = try EmbeddedConnection(Self.app(), limits: limits)
        try kept.send("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel")
        try kept.send("loGET /b HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(kept.output() == textResponse("POST /a\n") + textResponse("GET /b\n"))

        let chunked = try EmbeddedConnection(Self.app(), limits: limits)
        try chunked.send("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        #expect(chunked.output() == textResponse("POST /a\n"))
        try chunked.send("8\r\n12345678\r\n0\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(chunked.output() == "")
        #expect(chunked.isClosed)

        let long = try EmbeddedConnection(Self.app(), limits: limits)
        try long.send("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 50\r\n\r\nhello")
        #expect(long.output() == textResponse("POST /a\n"))
        #expect(long.isClosed)
    }

    @Test("[HTTP-3] [BODY-5] a body that turns out malformed: 400 before a response, a close without a second response after one")
    func malformedBody() throws {
        let reading = try EmbeddedConnection(Self.app())
        try reading.send("POST /read HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZZ\r\n")
        #expect(reading.output() == serverResponse("400 Bad Request"))
        #expect(reading.isClosed)

        let answered = try EmbeddedConnection(Self.app())
        try answered.send("POST /a HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZZ\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(answered.output() == textResponse("POST /a\n"))
        #expect(answered.isClosed)
    }

    @Test("[ERR-2] [HTTP-3] a malformed body while the response streams aborts it: no terminating chunk")
    func malformedWhileStreaming() throws {
        let connection = try EmbeddedConnection(Self.app())
        try connection.send("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
        #expect(connection.output() == Self.echoHead + "5\r\nhello\r\n")
        try connection.send("ZZZ\r\n")
        #expect(connection.output() == "")
        #expect(connection.isClosed)
    }

    @Test("[SEC-3] [ERR-3] a chunked body over the limit fails the read with 413 and closes")
    func bodyOverLimit() throws {
        let connection = try EmbeddedConnection(Self.app(), limits: .init(maxBodyBytes: 8))
        try connection.send("POST /read HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n")
        #expect(
            connection.output()
                == "HTTP/1.1 413 Content Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 22\r\nConnection: close\r\n\r\n413 Content Too Large\n"
        )
        #expect(connection.isClosed)
    }

    @Test("[SEC-3] a body that stops arriving gets 408 while no response went out, a close after")
    func bodyTimeout() throws {
        let timeouts = HTTPServerConfiguration.Timeouts(bodyRead: .seconds(1))
        let waiting = try EmbeddedConnection(Self.app(), timeouts: timeouts)
        try waiting.send("POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
        waiting.advanceTime(by: .seconds(2))
        #expect(waiting.output() == serverResponse("408 Request Timeout"))
        #expect(waiting.isClosed)

        let streaming = try EmbeddedConnection(Self.app(), timeouts: timeouts)
        try streaming.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
        #expect(streaming.output() == Self.echoHead + "3\r\nabc\r\n")
        streaming.advanceTime(by: .seconds(2))
        #expect(streaming.output() == "")
        #expect(streaming.isClosed)
    }

    @Test("[ERR-1] [ERR-2] an application that throws gets 500 and the connection kept; a body that fails after the head aborts")
    func applicationFailures() throws {
        struct Failure: Error {}
        let connection = try EmbeddedConnection(
            App { request in
                if request.pathInfo == "/midway" {
                    return Response(
                        headers: ["Content-Type": "text/plain"],
                        body: .stream { writer in
                            try await writer.write("partial\n")
                            throw Failure()
                        })
                }
                throw Failure()
            })
        try connection.send("GET /throw HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(
            connection.output()
                == "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 26\r\n\r\n500 Internal Server Error\n")
        try connection.send("GET /midway HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(connection.output() == Self.streamedHead + "8\r\npartial\n\r\n")
        #expect(connection.isClosed)
    }

    @Test("[LIFE-5] a stop during a request whose head is still to go: Connection: close, then the close; what was pipelined is not run")
    func stopBeforeHead() throws {
        let gate = Gate()
        let journal = Journal()
        let connection = try EmbeddedConnection(
            App { request in
                journal.record(request.pathInfo)
                await gate.wait()
                return .text("done\n")
            })
        try connection.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n")
        connection.stop()
        gate.open()
        connection.run()
        #expect(connection.output() == textResponse("done\n", closes: true))
        #expect(connection.isClosed)
        #expect(journal.entries == ["/a"])
    }

    @Test("[LIFE-5] a stop after a streaming head went out: it completes as announced, then a request already received is answered with Connection: close")
    func stopAfterHead() throws {
        let gate = Gate()
        let connection = try EmbeddedConnection(Self.app(gate: gate))
        try connection.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(connection.output() == Self.streamedHead + "6\r\nfirst\n\r\n")
        connection.stop()
        gate.open()
        connection.run()
        #expect(connection.output() == "7\r\nsecond\n\r\n0\r\n\r\n" + textResponse("GET /b\n", closes: true))
        #expect(connection.isClosed)
    }

    @Test("[LIFE-5] a stop on a new connection or one that just answered: a request arriving within the window is answered, then the close")
    func stopWindow() throws {
        let fresh = try EmbeddedConnection(Self.app())
        fresh.stop()
        #expect(!fresh.isClosed)
        try fresh.send("GET /late HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(fresh.output() == textResponse("GET /late\n", closes: true))
        #expect(fresh.isClosed)

        let idle = try EmbeddedConnection(Self.app())
        idle.stop()
        idle.advanceTime(by: .milliseconds(500))
        #expect(idle.output() == "")
        #expect(idle.isClosed)

        let kept = try EmbeddedConnection(Self.app())
        try kept.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(kept.output() == textResponse("GET /a\n"))
        kept.stop()
        try kept.send("GET /b HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(kept.output() == textResponse("GET /b\n", closes: true))
        #expect(kept.isClosed)
    }

    @Test("[HTTP-3] [ERR-3] unparseable first bytes get 400, an unsupported version 505, each once and then the close")
    func parseErrors() throws {
        for (bytes, status) in [
            ("GARBAGE\r\n\r\n", "400 Bad Request"), ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", "505 HTTP Version Not Supported"),
            ("GET / HTTP/1.1\nHost: a\n\n", "400 Bad Request"),
        ] {
            let connection = try EmbeddedConnection(Self.app())
            try connection.send(bytes + "GET /after HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(connection.output() == serverResponse(status), "\(bytes.debugDescription)")
            #expect(connection.isClosed)
        }
    }

    @Test("[HTTP-2] [RESP-11] a streamed response with trailers; informational responses before it")
    func trailersAndHints() throws {
        let connection = try EmbeddedConnection(
            App { _ in
                try await RequestContext.current?.sendInformational(status: 103, headers: ["Link": "</a.css>; rel=preload"])
                return Response(
                    headers: ["Content-Type": "text/plain"],
                    body: .stream { writer in
                        try await writer.write("body\n")
                        try await writer.finish(trailers: ["X-Checksum": "abc"])
                    })
            })
        try connection.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(
            connection.output() == "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n" + Self.streamedHead
                + "5\r\nbody\n\r\n0\r\nX-Checksum: abc\r\n\r\n")
    }
}

@Suite("Raw bytes in the request line, in memory")
struct RawBytesTests {
    static let app = App { request in .text("\(Array(request.target.utf8)) \(Array((request.headers["X-V"] ?? "").utf8))\n") }

    /// The request line `GET <target> HTTP/1.1` with `target` as raw bytes.
    static func requestLine(_ target: [UInt8]) -> [UInt8] {
        Array("GET ".utf8) + target + Array(" HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
    }

    @Test(
        "[HTTP-3] [ERR-3] a request-target with raw bytes outside visible ASCII (UTF-8, DEL, a tab) is answered 400",
        arguments: [
            Array("/caf".utf8) + [0xC3, 0xA9], Array("/a?q=".utf8) + [0xC3, 0xA9], Array("/a".utf8) + [0xFF], Array("/a".utf8) + [0x7F],
            Array("/a".utf8) + [0x09],
        ])
    func rawTarget(_ target: [UInt8]) throws {
        let connection = try EmbeddedConnection(Self.app)
        try connection.channel.writeInbound(ByteBuffer(bytes: Self.requestLine(target)))
        connection.run()
        #expect(connection.output() == serverResponse("400 Bad Request"))
        #expect(connection.isClosed)
    }

    @Test(
        "[REQ-6] [REQ-7] raw bytes above ASCII in a field value reach the application as UTF-8 (invalid sequences replaced); the percent-encoded target is the way to send them in a path"
    )
    func rawFieldValue() throws {
        let connection = try EmbeddedConnection(Self.app)
        try connection.channel.writeInbound(
            ByteBuffer(bytes: Array("GET /caf%C3%A9 HTTP/1.1\r\nHost: a\r\nX-V: ".utf8) + [0xC3, 0xA9, 0xFF] + Array("\r\n\r\n".utf8)))
        connection.run()
        let target = Array("/caf%C3%A9".utf8)
        #expect(connection.output() == textResponse("\(target) \([0xC3, 0xA9, 0xEF, 0xBF, 0xBD])\n"))
    }
}
