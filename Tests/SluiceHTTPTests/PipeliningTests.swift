// Pipelined requests behind a slow one, over a real socket: what follows a request the server
// rejects or cannot parse never reaches the application, and earlier responses are never lost
// (Spec HTTP-2, HTTP-3, SEC-4).

import IntegrationSupport
import Sluice
import Synchronization
import Testing

@Suite("Pipelining behind a request in flight")
struct PipeliningTests {
    /// The paths the application ran, in order: side effects a client must hear about.
    final class Ran: Sendable {
        private let paths = Mutex<[String]>([])
        func append(_ path: String) { paths.withLock { $0.append(path) } }
        var all: [String] { paths.withLock { $0 } }
    }

    /// `/first` takes 200 ms; `POST /users` "creates a user" and answers with its token;
    /// everything else answers at once with its method and path.
    static func app(_ ran: Ran) -> App {
        App { request in
            ran.append(request.pathInfo)
            switch request.pathInfo {
            case "/first":
                try await Task.sleep(for: .milliseconds(200))
                return .text("first done\n")
            case "/users":
                _ = try await request.body.collect(upTo: 1024)
                return Response(status: .created, headers: ["Content-Type": "text/plain"], body: "token-42\n")
            default:
                return .text("\(request.method) \(request.pathInfo)\n")
            }
        }
    }

    static let first = "GET /first HTTP/1.1\r\nHost: a\r\n\r\n"
    static let smuggled = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"

    /// A request the server answers itself with `status`, then closes.
    struct Rejected: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: String
        var status: Int
        var testDescription: String { name }
    }

    static let rejections: [Rejected] = [
        Rejected(name: "two Host fields", bytes: "GET /x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400),
        Rejected(
            name: "Transfer-Encoding: identity, chunked",
            bytes: "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n", status: 400
        ),
        Rejected(
            name: "more header fields than allowed (431)",
            bytes: "GET /x HTTP/1.1\r\nHost: a\r\n" + (1...101).map { "X-\($0): 1\r\n" }.joined() + "\r\n", status: 431
        ),
        Rejected(name: "a request-target over the limit (414)", bytes: "GET /\(String(repeating: "a", count: 8200)) HTTP/1.1\r\nHost: a\r\n\r\n", status: 414),
        Rejected(name: "GET *", bytes: "GET * HTTP/1.1\r\nHost: a\r\n\r\n", status: 400),
        Rejected(name: "Expect: teapot", bytes: "GET /x HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n", status: 417),
        Rejected(name: "a declared body over the limit (413)", bytes: "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\n\r\n", status: 413),
        Rejected(name: "CONNECT (501)", bytes: "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", status: 501),
    ]

    @Test("[HTTP-8] [SEC-4] nothing pipelined behind a rejected request reaches the application", arguments: rejections)
    func rejectionEndsThePipeline(_ rejected: Rejected) async throws {
        let ran = Ran()
        try await InProcessServer.serving(Self.app(ran)) { server in
            let reply = try await RawSocket.exchange(Self.first + rejected.bytes + Self.smuggled, port: server.port)
            #expect(reply.statusCodes == [200, rejected.status], "reply: \(reply.text.prefix(600))")
            #expect(reply.text.contains("first done\n"))
            #expect(!reply.text.contains("smuggled"))
            #expect(reply.serverClosed)
            #expect(ran.all == ["/first"])
        }
    }

    @Test("[HTTP-8] [HTTP-3] bytes that fail to parse behind a request in flight: its response first, then 400, then the close")
    func parseErrorAfterInFlight() async throws {
        let ran = Ran()
        try await InProcessServer.serving(Self.app(ran)) { server in
            let reply = try await RawSocket.exchange(Self.first + "GARBAGE\r\n\r\n", port: server.port)
            #expect(reply.statusCodes == [200, 400], "reply: \(reply.text)")
            #expect(reply.text.contains("first done\n"))
            #expect(reply.serverClosed)
            let second = try await RawSocket.exchange(
                Self.first + "GET /second HTTP/1.1\r\nHost: a\r\n\r\nGARBAGE\r\n\r\n" + Self.smuggled, port: server.port
            )
            #expect(second.statusCodes == [200, 200, 400], "reply: \(second.text)")
            #expect(second.text.contains("GET /second\n"))
            #expect(!second.text.contains("smuggled"))
        }
    }

    @Test("[HTTP-8] [ERR-3] an unsupported version behind a request in flight gets one 505, after the first response")
    func versionErrorAfterInFlight() async throws {
        let ran = Ran()
        try await InProcessServer.serving(Self.app(ran)) { server in
            let reply = try await RawSocket.exchange(Self.first + "GET / HTTP/2.0\r\nHost: a\r\n\r\n", port: server.port)
            #expect(reply.statusCodes == [200, 505], "reply: \(reply.text)")
            #expect(reply.text.contains("first done\n"))
            #expect(reply.serverClosed)
        }
    }

    @Test("[HTTP-8] a request with side effects followed by garbage: the client hears about the side effect")
    func sideEffectsAreAnswered() async throws {
        let ran = Ran()
        try await InProcessServer.serving(Self.app(ran)) { server in
            let reply = try await RawSocket.exchange(
                "POST /users HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\nname=ann" + "GARBAGE\r\n\r\n", port: server.port
            )
            #expect(ran.all == ["/users"])
            #expect(reply.statusCodes == [201, 400], "reply: \(reply.text)")
            #expect(reply.text.contains("token-42\n"))
        }
    }
}
