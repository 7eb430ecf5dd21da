// HTTP/1.1 behaviour with real clients: keep-alive, pipelining, HEAD, framing, streaming,
// trailers, informational responses, Date and Server (Spec HTTP-2, RESP-*).

import Foundation
import IntegrationSupport
import Sluice
import Testing

@Suite("HTTP/1.1 protocol")
struct ProtocolTests {
    static let app = App { request in
        switch request.pathInfo {
        case "/stream":
            return Response(
                headers: ["Content-Type": "text/plain"],
                body: .stream { writer in
                    try await writer.write("first\n")
                    try await writer.flush()
                    try await Task.sleep(for: .milliseconds(800))
                    try await writer.write("second\n")
                })
        case "/trailers":
            return Response(
                headers: ["Content-Type": "text/plain"],
                body: .stream { writer in
                    try await writer.write("body\n")
                    try await writer.finish(trailers: ["X-Checksum": "abc", "Content-Length": "5"])
                })
        case "/hints":
            try await RequestContext.current?.sendInformational(status: 103, headers: ["Link": "</a.css>; rel=preload"])
            return .text("after hints\n")
        case "/cookies":
            return Response(headers: ["Set-Cookie": "a=1", "Content-Type": "text/plain", "Set-Cookie": "b=2"], body: "ok\n")
        case "/own-fields":
            return Response(
                headers: ["date": "Thu, 01 Jan 2015 00:00:00 GMT", "SERVER": "own", "content-length": "3"],
                body: .stream { writer in try await writer.write("ok\n") }
            )
        case "/trailer-injection":
            return Response(
                headers: ["Content-Type": "text/plain"],
                body: .stream { writer in
                    try await writer.write("body\n")
                    try await writer.finish(trailers: ["X-Bad": "a\r\nevil: 1"])
                })
        case "/injection":
            return Response(headers: ["X-Bad": "a\r\nSet-Cookie: evil=1"], body: "never\n")
        case "/fail":
            struct Failure: Error {}
            throw Failure()
        case "/redirect":
            return .localRedirect(to: "/landed?from=redirect")
        case "/loop":
            return .localRedirect(to: "/loop")
        case "/fail-midway":
            return Response(
                headers: ["Content-Type": "text/plain"],
                body: .stream { writer in
                    try await writer.write("partial\n")
                    try await writer.flush()
                    struct Failure: Error {}
                    throw Failure()
                })
        default:
            return .text("\(request.method) \(request.pathInfo) \(request.serverProtocol)\n")
        }
    }

    @Test("[HTTP-2] keep-alive and pipelining: responses come back in order on one connection")
    func pipelining() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let requests =
                "GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /stream HTTP/1.1\r\nHost: a\r\n\r\n"
                + "HEAD /three HTTP/1.1\r\nHost: a\r\n\r\nGET /four HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
            let reply = try await RawSocket.exchange(requests, port: server.port)
            #expect(reply.statusCodes == [200, 200, 200, 200])
            #expect(reply.serverClosed)
            let text = reply.text
            let order = ["GET /one", "first\n", "second\n", "GET /four"].map { text.range(of: $0)?.lowerBound }
            #expect(order.allSatisfy { $0 != nil })
            #expect(order.compactMap { $0 }.sorted() == order.compactMap { $0 })
            #expect(!text.contains("HEAD /three"))
            #expect(text.contains("Transfer-Encoding: chunked"))
        }
    }

    @Test("[ERR-1] an application that throws gets 500 and the connection stays usable")
    func throwKeepsConnection() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let requests = "GET /fail HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
            let reply = try await RawSocket.exchange(requests, port: server.port)
            #expect(reply.statusCodes == [500, 200])
            #expect(reply.text.contains("GET /after HTTP/1.1"))
        }
    }

    @Test("[ERR-2] a body that fails after the head closes the connection without the terminating chunk")
    func failureMidway() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let reply = try await RawSocket.exchange("GET /fail-midway HTTP/1.1\r\nHost: a\r\n\r\n", port: server.port)
            #expect(reply.statusCodes == [200])
            #expect(reply.serverClosed)
            #expect(reply.text.contains("partial"))
            #expect(!reply.text.hasSuffix("0\r\n\r\n"))
        }
    }

    @Test("[SEC-2] a response field with CR LF is not sent: the client gets 500")
    func headerInjection() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let reply = try await RawSocket.exchange(
                "GET /injection HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", port: server.port
            )
            #expect(reply.statusCodes == [500])
            #expect(!reply.text.contains("evil"))
        }
    }

    @Test("[RESP-6] HEAD gets the head GET would have, and no body")
    func head() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let response = try await Curl.fetch(CurlRequest(server.url("/page"), isHead: true))
            #expect(response.status == 200)
            #expect(response.value(of: "Content-Length") == "20")
            let raw = try await RawSocket.exchange("HEAD /page HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", port: server.port)
            #expect(raw.text.hasSuffix("\r\n\r\n"))
        }
    }

    @Test("[RESP-9] a flushed response streams: the first piece arrives before the application finishes")
    func streaming() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let streamed = try await Curl.stream(CurlRequest(server.url("/stream")))
            #expect(streamed.response.text == "first\nsecond\n")
            let first = try #require(streamed.arrival(of: "first"))
            let second = try #require(streamed.arrival(of: "second"))
            #expect(second - first > .milliseconds(500))
        }
    }

    @Test("[RESP-11] trailers reach an HTTP/1.1 client on a chunked response; framing fields among them are dropped")
    func trailers() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let reply = try await RawSocket.exchange("GET /trailers HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", port: server.port)
            #expect(reply.text.hasSuffix("0\r\nX-Checksum: abc\r\n\r\n"))
        }
    }

    @Test("[SEC-2] [ERR-2] a trailer with CR LF aborts the response: no terminating chunk, connection closed")
    func trailerInjection() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let reply = try await RawSocket.exchange("GET /trailer-injection HTTP/1.1\r\nHost: a\r\n\r\n", port: server.port)
            #expect(reply.statusCodes == [200])
            #expect(reply.serverClosed)
            #expect(!reply.text.contains("evil"))
            #expect(!reply.text.hasSuffix("0\r\n\r\n"))
        }
    }

    @Test("[RESP-12] an informational response sent before the head reaches the client")
    func earlyHints() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let reply = try await RawSocket.exchange("GET /hints HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", port: server.port)
            #expect(reply.statusCodes == [103, 200])
            #expect(reply.text.contains("Link: </a.css>; rel=preload"))
        }
    }

    @Test("[RESP-13] [HTTP-7] repeated fields go out separately; Date and Server are added")
    func repeatedFields() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let response = try await Curl.fetch(server.url("/cookies"))
            #expect(response.values(of: "Set-Cookie") == ["a=1", "b=2"])
            #expect(response.value(of: "Server") == "Sluice")
            #expect(response.value(of: "Date")?.hasSuffix(" GMT") == true)
        }
    }

    @Test("[RESP-13] [HTTP-7] Date, Server and Content-Length the application set, in any case, are neither repeated nor replaced")
    func ownFields() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let reply = try await RawSocket.exchange("GET /own-fields HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", port: server.port)
            let head = reply.text.lowercased()
            #expect(head.components(separatedBy: "\r\ndate: ").count == 2)
            #expect(head.contains("\r\ndate: thu, 01 jan 2015 00:00:00 gmt\r\n"))
            #expect(head.components(separatedBy: "\r\nserver: ").count == 2)
            #expect(head.contains("\r\nserver: own\r\n"))
            #expect(!head.contains("transfer-encoding"))
            #expect(reply.text.hasSuffix("\r\n\r\nok\n"))
        }
    }

    @Test("[HTTP-8] [HTTP-3] bytes that fail to parse behind a streaming response: the response completes, then 400 and the close")
    func malformedBehindStreamingResponse() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let reply = try await RawSocket.exchange("GET /stream HTTP/1.1\r\nHost: a\r\n\r\nNOT HTTP\u{0}\r\n\r\n", port: server.port)
            #expect(reply.statusCodes == [200, 400])
            // The whole chunked body, terminating chunk included, before the 400.
            #expect(reply.text.contains("first\n\r\n7\r\nsecond\n\r\n0\r\n\r\nHTTP/1.1 400 Bad Request\r\n"), "reply: \(reply.text)")
            #expect(reply.serverClosed)
        }
    }

    @Test("[HTTP-2] HTTP/1.0: close-delimited streaming body, keep-alive only when asked with a length")
    func http10() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let streamed = try await RawSocket.exchange("GET /stream HTTP/1.0\r\n\r\n", port: server.port)
            #expect(streamed.text.hasPrefix("HTTP/1.0 200"))
            #expect(!streamed.text.contains("chunked"))
            #expect(streamed.text.hasSuffix("first\nsecond\n"))
            #expect(streamed.serverClosed)
            let kept = try await RawSocket.exchange(
                "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n", port: server.port
            )
            #expect(kept.statusCodes == [200, 200])
            #expect(kept.text.contains("Connection: keep-alive"))
            #expect(kept.text.contains("GET /b HTTP/1.0"))
        }
    }

    @Test("[HTTP-5] a local redirect is followed by the server; a loop ends in 500 after five")
    func localRedirects() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let followed = try await Curl.fetch(CurlRequest(server.url("/redirect"), method: "POST", body: .bytes(Data("x".utf8))))
            #expect(followed.status == 200)
            #expect(followed.text == "GET /landed HTTP/1.1\n")
            #expect(followed.value(of: "Location") == nil)
            let looping = try await Curl.fetch(server.url("/loop"))
            #expect(looping.status == 500)
        }
    }

    @Test("[SEC-3] [SEC-5] [RESP-15] a client that reads nothing stops the producer and is disconnected after the write timeout")
    func writeTimeout() async throws {
        let completions = AsyncStream<Completion>.makeStream()
        let endless = App { request in
            request.onCompletion { completions.continuation.yield($0) }
            return Response(
                headers: ["Content-Type": "application/octet-stream"],
                body: .stream { writer in
                    let block = [UInt8](repeating: 0x61, count: 65_536)
                    while true { try await writer.write(block) }
                })
        }
        try await InProcessServer.serving(endless, configure: { $0.timeouts.responseWrite = .milliseconds(300) }) { server in
            let socket = try StalledClient(port: server.port, request: "GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            defer { socket.close() }
            let completion = await completions.stream.first { _ in true }
            #expect(completion?.clientDisconnected == true)
            // Without backpressure the endless body would have gone into memory by the hundred MiB.
            #expect((completion?.bodyBytesSent ?? .max) < 16 << 20)
        }
    }

    @Test("[HTTP-2] Python's http.client reuses one connection for several requests")
    func pythonKeepAlive() async throws {
        try await InProcessServer.serving(Self.app) { server in
            let script = """
                import http.client
                c = http.client.HTTPConnection("127.0.0.1", \(server.port))
                for path in ["/x", "/fail", "/y"]:
                    c.request("GET", path)
                    r = c.getresponse()
                    print(r.status, r.read().decode().strip(), c.sock is not None)
                c.request("POST", "/z", body=b"data", headers={"Content-Type": "text/plain"})
                r = c.getresponse()
                print(r.status, r.read().decode().strip())
                """
            let output = try await PythonScript.run(script)
            #expect(output == "200 GET /x HTTP/1.1 True\n500 500 Internal Server Error True\n200 GET /y HTTP/1.1 True\n200 POST /z HTTP/1.1\n")
        }
    }
}
