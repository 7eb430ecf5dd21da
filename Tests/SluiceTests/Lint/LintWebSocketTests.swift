// Lint against WebSocket acceptances and sessions that break the extension, and servers that run
// them against it (Spec WS-14).

import Sluice
import SluiceTesting
import Synchronization
import Testing

@Suite("Lint: WebSocket")
struct LintWebSocketTests {
    /// Runs `app` inside a Lint that reports to a log, through the test client without its own
    /// Lint; `talk` plays the client. Returns the log.
    static func run(
        _ app: App, capabilities: ServerCapabilities = TestClient.capabilities, subprotocols: [String] = [],
        _ talk: @escaping (TestWebSocket) async throws -> Void = { socket in while try await socket.receive() != nil {} }
    ) async throws -> (ViolationLog, TestResponse?) {
        let log = ViolationLog()
        let client = TestClient(Lint(app, report: log.record), lint: false, capabilities: capabilities)
        do {
            try await client.get("/").webSocket(subprotocols: subprotocols) { socket in try await talk(socket) }
        } catch let TestClientError.webSocketRefused(response) {
            return (log, response)
        }
        return (log, nil)
    }

    @Test("[WS-14] [WS-1] an acceptance where supportsWebSocket is false is a warning; the client still gets 501")
    func acceptsWithoutSupport() async throws {
        var noWebSocket = TestClient.capabilities
        noWebSocket.supportsWebSocket = false
        let (log, refused) = try await Self.run(App { _ in .webSocket { _ in } }, capabilities: noWebSocket)
        #expect(log.rules == ["WS-1"])
        #expect(log.violations.first?.severity == .warning)
        #expect(refused?.status.code == 501)
    }

    @Test("[WS-14] [WS-1] an acceptance whose status is not 101")
    func acceptanceStatus() async throws {
        let app = App { _ in
            var response = Response.webSocket { _ in }
            response.status = .ok
            return response
        }
        let (log, refused) = try await Self.run(app)
        #expect(log.rules == ["WS-1"])
        #expect(refused?.status.code == 500)
    }

    @Test("[WS-14] [WS-5] a subprotocol the client did not offer, and a Sec-WebSocket- field, are the application's errors")
    func acceptanceHead() async throws {
        let offered = try await Self.run(App { _ in .webSocket(subprotocol: "b") { _ in } }, subprotocols: ["a"]).0
        #expect(offered.rules == ["WS-5"])
        let forged = try await Self.run(App { _ in .webSocket(headers: ["Sec-WebSocket-Accept": "x"]) { _ in } }).0
        #expect(forged.rules == ["WS-5"])
        #expect(forged.violations.allSatisfy { $0.party == .application })
    }

    @Test("[WS-14] [WS-6] a second read of the messages that escapes the session")
    func messagesTwice() async throws {
        let app = App { _ in
            .webSocket { socket in
                for try await _ in socket.messages { break }
                for try await _ in socket.messages {}
            }
        }
        let (log, _) = try await Self.run(app) { socket in
            try await socket.send("one")
            while try await socket.receive() != nil {}
        }
        #expect(log.rules == ["WS-6"])
    }

    @Test("[WS-14] [WS-9] a ping over 125 bytes that escapes the session, and a send after the session's own close")
    func sends() async throws {
        let ping = try await Self.run(App { _ in .webSocket { socket in try await socket.send(.ping(Array(repeating: 1, count: 200))) } }).0
        #expect(ping.rules == ["WS-9"])
        let late = try await Self.run(
            App { _ in
                .webSocket { socket in
                    await socket.close()
                    try await socket.send("late")
                }
            }
        ).0
        #expect(late.rules == ["WS-9"])
    }

    @Test("[WS-14] [WS-9] a close code that may not be sent, and a reason over 123 bytes, are reported; the wire gets 1011 and the reason cut")
    func unsendableClose() async throws {
        let received = Mutex<WebSocketClose?>(nil)
        let app = App { _ in .webSocket { socket in await socket.close(WebSocketClose(code: 1006, reason: String(repeating: "x", count: 130))) } }
        let (log, _) = try await Self.run(app) { socket in
            while try await socket.receive() != nil {}
            received.withLock { $0 = socket.closeReceived }
        }
        #expect(log.rules == ["WS-9", "WS-9"])
        #expect(received.withLock { $0 } == WebSocketClose(code: 1011, reason: String(repeating: "x", count: 123)))
    }

    @Test("[LINT-2] [WS-14] a session that breaks no rule talks the same with and without Lint")
    func transparent() async throws {
        let app = App { _ in
            .webSocket(subprotocol: "v1", headers: ["Set-Cookie": "a=1"]) { socket in
                for try await message in socket.messages where message.isData { try await socket.send(message) }
                await socket.close(WebSocketClose(code: 4000, reason: "done"))
            }
        }
        func talk(_ client: TestClient) async throws -> [String] {
            try await client.get("/").webSocket(subprotocols: ["v1"]) { socket async throws in
                try await socket.send("one")
                try await socket.send(.binary([2]))
                try await socket.send(.ping([3]))
                var seen = ["\(socket.headers)"]
                for _ in 0..<3 { seen.append("\(try await socket.receive().map { "\($0)" } ?? "end")") }
                try await socket.close(WebSocketClose(code: 4001))
                let completion = await socket.completion()
                seen.append("\(completion.status?.code ?? 0) \(completion.bodyBytesSent) \(completion.error == nil)")
                return seen
            }
        }
        let log = ViolationLog()
        let bare = try await talk(TestClient(app, lint: false))
        let linted = try await talk(TestClient(Lint(app, report: log.record), lint: false))
        #expect(log.violations.isEmpty)
        #expect(bare == linted)
    }
}

@Suite("Lint: how the server runs a WebSocket session")
struct LintWebSocketServerTests {
    /// A transport with nothing to say.
    struct SilentTransport: WebSocketTransport {
        func receive() async throws -> WebSocketMessage? { nil }
        func send(_ message: WebSocketMessage) async throws {}
        func close(_ close: WebSocketClose) async -> (any Error)? { nil }
        var closeReceived: WebSocketClose? { nil }
    }

    static let handshakeFields: Headers = [
        "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13",
    ]

    /// A handshake request on a server that supports WebSocket, changed as a test needs.
    static func request(_ change: (inout Request) -> Void = { _ in }) -> Request {
        lintRequest { request in
            request.headers = handshakeFields
            request.capabilities.supportsWebSocket = true
            change(&request)
        }
    }

    /// Asks a linted acceptance for its session and runs it as a rogue server would: with the
    /// request's context current unless `withContext` is false.
    static func runSession(_ server: RogueServer, _ request: Request, times: Int = 1, withContext: Bool = true) async {
        guard let acceptance = try? await server.respond(to: request).acceptedWebSocket else {
            Issue.record("no acceptance")
            return
        }
        for _ in 0..<times {
            let socket = WebSocket(transport: SilentTransport())
            if withContext {
                try? await RequestContext.withCurrent(request.context) { try await acceptance.session(socket) }
            } else {
                try? await acceptance.session(socket)
            }
        }
    }

    static func rogue() -> RogueServer {
        RogueServer { _ in .webSocket { _ in } }
    }

    @Test("[WS-14] [WS-2] Lint rejects a server that runs a session for a request that makes no handshake")
    func noHandshake() async {
        let server = Self.rogue()
        await Self.runSession(server, Self.request { $0.headers.remove("Sec-WebSocket-Key") })
        #expect(server.log.rules == ["WS-2"])
        #expect(server.log.violations.first?.party == .server)
    }

    @Test("[WS-14] [WS-3] Lint rejects a server that runs a session where it claims no support")
    func noSupport() async {
        let server = Self.rogue()
        await Self.runSession(server, Self.request { $0.capabilities.supportsWebSocket = false })
        // The application's warning for accepting there, then the server's error for running it.
        #expect(server.log.rules == ["WS-1", "WS-3"])
    }

    @Test("[WS-14] Lint rejects a server that runs a session twice")
    func twice() async {
        let server = Self.rogue()
        await Self.runSession(server, Self.request(), times: 2)
        #expect(server.log.rules == ["WS-14"])
    }

    @Test("[WS-14] [WS-1] Lint rejects a server that runs a session without the request's context")
    func withoutContext() async {
        let server = Self.rogue()
        await Self.runSession(server, Self.request(), withContext: false)
        #expect(server.log.rules == ["WS-1"])
    }

    @Test("[WS-14] [WS-11] Lint reports a completion that does not say 101 after a session ran")
    func completionStatus() async {
        let server = Self.rogue()
        let request = Self.request()
        await Self.runSession(server, request)
        await request.context.complete(with: Completion(status: .ok, bodyBytesSent: 0, error: nil))
        #expect(server.log.rules == ["WS-11"])
    }
}
