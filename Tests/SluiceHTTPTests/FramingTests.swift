// Request smuggling and malformed framing, sent as raw bytes over a real socket (Spec HTTP-3, SEC-4).

import IntegrationSupport
import Sluice
import Testing

@Suite("Framing the server must reject")
struct FramingTests {
    /// Answers every request, reading its body, so that a smuggled second request would show
    /// up as a second response.
    static let echo = App { request in
        let body = try await request.body.collect(upTo: 1 << 20)
        return .text("\(request.method) \(request.target) \(body.count)\n")
    }

    /// A request the server must answer with 400 and then close, whatever follows it.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: String
        var testDescription: String { name }
    }

    static let smuggling: [Case] = [
        Case(
            name: "Content-Length with Transfer-Encoding",
            bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"),
        Case(
            name: "Transfer-Encoding with Content-Length",
            bytes: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n"),
        Case(
            name: "two different Content-Lengths",
            bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde"),
        Case(name: "two equal Content-Lengths", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nabcd"),
        Case(name: "a Content-Length list", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4, 4\r\n\r\nabcd"),
        Case(name: "a signed Content-Length", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +4\r\n\r\nabcd"),
        Case(name: "obs-fold in a header", bytes: "GET / HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n"),
        Case(
            name: "obs-fold in Transfer-Encoding",
            bytes: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n"),
        Case(name: "space before the colon", bytes: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length : 4\r\n\r\nabcd"),
        Case(name: "an invalid character in a field name", bytes: "GET / HTTP/1.1\r\nHost: a\r\nX(Bad): 1\r\n\r\n"),
        Case(name: "a NUL in a field value", bytes: "GET / HTTP/1.1\r\nHost: a\r\nX-Nul: a\u{0}b\r\n\r\n"),
        Case(name: "a bare LF line end in the head", bytes: "GET / HTTP/1.1\nHost: a\n\n"),
        Case(name: "a bare CR in a field value", bytes: "GET / HTTP/1.1\r\nHost: a\r\nX-CR: a\rb\r\n\r\n"),
        Case(
            name: "Transfer-Encoding gzip, chunked",
            bytes: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
        Case(
            name: "Transfer-Encoding chunked, chunked",
            bytes: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Case(
            name: "Transfer-Encoding not ending in chunked",
            bytes: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"),
        Case(name: "Transfer-Encoding on HTTP/1.0", bytes: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        Case(
            name: "a chunk size that is not hex",
            bytes: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
        Case(
            name: "a chunk size that overflows",
            bytes: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nabc\r\n0\r\n\r\n"),
        Case(
            name: "a chunk longer than its size",
            bytes: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n"),
        Case(name: "HTTP/1.1 without Host", bytes: "GET / HTTP/1.1\r\n\r\n"),
        Case(name: "two Host fields", bytes: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        Case(name: "an authority-form target without CONNECT", bytes: "GET a:80 HTTP/1.1\r\nHost: a\r\n\r\n"),
        Case(name: "a space in the target", bytes: "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n"),
        Case(name: "a malformed request line", bytes: "GET\r\nHost: a\r\n\r\n"),
    ]

    @Test("[HTTP-3] [SEC-4] conflicting or malformed framing is rejected with 400 and the connection closes", arguments: smuggling)
    func rejected(_ testCase: Case) async throws {
        try await InProcessServer.serving(Self.echo) { server in
            let reply = try await RawSocket.exchange(testCase.bytes, port: server.port, timeout: .seconds(3))
            #expect(reply.statusCodes == [400], "reply: \(reply.text)")
            #expect(reply.serverClosed, "the connection stayed open")
            #expect(!reply.text.contains("smuggled"))
        }
    }

    /// A chunked body that turns out malformed after a few good bytes.
    static let malformedBodies: [Case] = [
        Case(name: "a chunk size that is not hex", bytes: "5\r\nhello\r\nZZZ\r\nabc\r\n0\r\n\r\n"),
        Case(name: "a control character in a chunk extension", bytes: "5;a\u{1}b\r\nhello\r\n0\r\n\r\n"),
        Case(name: "no CR LF after the chunk data", bytes: "5\r\nhelloXX0\r\n\r\n"),
        Case(name: "a chunk longer than its size", bytes: "3\r\nhello\r\n0\r\n\r\n"),
    ]

    @Test(
        "[HTTP-8] [HTTP-3] [BODY-5] a body that turns out malformed after the response went out closes the connection; no second response",
        arguments: malformedBodies)
    func malformedAfterResponse(_ testCase: Case) async throws {
        let hello = App { _ in .text("hello\n") }
        try await InProcessServer.serving(hello) { server in
            let request =
                "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + testCase.bytes
                + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"
            let reply = try await RawSocket.exchange(request, port: server.port, timeout: .seconds(3))
            #expect(reply.statusCodes == [200], "reply: \(reply.text)")
            #expect(reply.text.hasSuffix("\r\n\r\nhello\n"))
            #expect(reply.serverClosed, "the connection stayed open")
        }
    }

    @Test("[HTTP-3] [BODY-7] [BODY-8] a well-framed chunked body with chunk extensions and trailers is accepted; the trailers are dropped")
    func chunkedAccepted() async throws {
        try await InProcessServer.serving(Self.echo) { server in
            let request =
                "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "3;name=value\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: 1\r\n\r\n"
            let reply = try await RawSocket.exchange(request, port: server.port)
            #expect(reply.statusCodes == [200])
            #expect(reply.text.hasSuffix("POST /up 5\n"))
            #expect(!reply.text.contains("X-Trailer"))
        }
    }

    @Test("[HTTP-4] an absolute-form target is served in origin form with its authority as Host; CONNECT gets 501")
    func targetForms() async throws {
        let app = App { request in
            .text("\(request.target) \(request.pathInfo) \(request.queryString) \(request.serverName) \(request.headers["Host"] ?? "")\n")
        }
        try await InProcessServer.serving(app) { server in
            let absolute = try await RawSocket.exchange(
                "GET http://example.com:8080/a%20b?q=1 HTTP/1.1\r\nHost: other\r\nConnection: close\r\n\r\n", port: server.port
            )
            #expect(absolute.statusCodes == [200])
            #expect(absolute.text.hasSuffix("/a%20b?q=1 /a b q=1 example.com example.com:8080\n"))
            let connect = try await RawSocket.exchange("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", port: server.port)
            #expect(connect.statusCodes == [501])
            #expect(connect.serverClosed)
        }
    }

    @Test("[ERR-3] [HTTP-6] an unsupported HTTP version is answered 505, an unknown expectation 417")
    func versionAndExpectation() async throws {
        try await InProcessServer.serving(Self.echo) { server in
            // llhttp rejects both before the adapter's own check sees the head.
            for version in ["HTTP/1.2", "HTTP/3.0", "HTTP/0.9"] {
                let reply = try await RawSocket.exchange("GET / \(version)\r\nHost: a\r\n\r\n", port: server.port)
                #expect(reply.statusCodes == [505], "\(version) reply: \(reply.text)")
                #expect(reply.serverClosed, "\(version)")
            }
            let expectation = try await RawSocket.exchange("GET / HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n", port: server.port)
            #expect(expectation.statusCodes == [417])
            #expect(expectation.serverClosed)
        }
    }
}
