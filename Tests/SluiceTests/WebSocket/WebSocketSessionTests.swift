// WebSocket sessions through the driver, with the test client as the peer: acceptance, refusals,
// messages, closing, disconnects and completion (Spec WS-1, WS-4 to WS-7, WS-9 to WS-11).

import Sluice
import SluiceGateway
import SluiceTesting
import Synchronization
import Testing

@Suite("WebSocket: sessions through the driver")
struct WebSocketSessionTests {
    /// Echoes text and binary messages; ignores pings and pongs.
    static let echo = App { _ in
        .webSocket { socket in
            for try await message in socket.messages where message.isData {
                try await socket.send(message)
            }
        }
    }

    /// A count shared between tasks.
    final class Counter: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    /// What a session saw, for the test to read afterwards.
    final class Sightings: Sendable {
        private let seen = Mutex<[String]>([])
        func note(_ line: String) { seen.withLock { $0.append(line) } }
        var lines: [String] { seen.withLock { $0 } }
    }

    @Test("[WS-1] [WS-6] [WS-11] an echo: messages come back whole, the close completes, the completion says 101")
    func echoes() async throws {
        let completion = try await TestClient(Self.echo).get("/echo").webSocket { socket async throws in
            try await socket.send("hello")
            #expect(try await socket.receive() == .text("hello"))
            try await socket.send(.binary([0, 1, 2, 255]))
            #expect(try await socket.receive() == .binary([0, 1, 2, 255]))
            try await socket.close()
            #expect(socket.closeReceived == .normalClosure)
            return await socket.completion()
        }
        #expect(completion.status == .switchingProtocols)
        #expect(completion.bodyBytesSent == 9)
        #expect(completion.error == nil)
    }

    @Test("[WS-1] the session runs in the request's task, with the request's context current")
    func sessionHasTheRequestsContext() async throws {
        let sightings = Sightings()
        let app = App { request in
            .webSocket { socket in
                sightings.note(RequestContext.current === request.context ? "context" : "no context")
                await socket.close()
            }
        }
        try await TestClient(app).get("/").webSocket { socket async throws in
            #expect(try await socket.receive() == nil)
        }
        #expect(sightings.lines == ["context"])
    }

    @Test("[WS-5] the 101 carries the acceptance's fields and the chosen subprotocol, not the application's Sec-WebSocket- fields")
    func acceptanceHead() async throws {
        let app = App { request in
            .webSocket(subprotocol: "chat.v1", headers: ["Set-Cookie": "seen=1", "Sec-WebSocket-Accept": "forged"]) { socket in await socket.close() }
        }
        let headers = try await TestClient(app, lint: false).get("/").webSocket(subprotocols: ["chat.v2", "chat.v1"]) { socket async throws in
            _ = try await socket.receive()
            return socket.headers
        }
        #expect(headers["Set-Cookie"] == "seen=1")
        #expect(headers["Sec-WebSocket-Protocol"] == "chat.v1")
        #expect(!headers.contains("Sec-WebSocket-Accept"), "the test server computes no accept value; the application's must not pass")
    }

    @Test("[WS-5] [WS-4] a subprotocol the client did not offer is answered 500, and the session never runs")
    func subprotocolNotOffered() async throws {
        let sightings = Sightings()
        let app = App { _ in .webSocket(subprotocol: "mqtt") { _ in sightings.note("ran") } }
        let refused = await Self.refusal(TestClient(app, lint: false).get("/"), subprotocols: ["chat.v1"])
        #expect(refused?.status.code == 500)
        #expect(refused?.completion.applicationError is InvalidWebSocketAcceptance)
        #expect(sightings.lines.isEmpty)
    }

    @Test("[WS-3] [WS-4] where supportsWebSocket is false the server answers 501, logs why, and the session never runs")
    func unsupported() async throws {
        let sightings = Sightings()
        let app = App { _ in .webSocket { _ in sightings.note("ran") } }
        var cgiLike = TestClient.capabilities
        cgiLike.supportsWebSocket = false
        let refused = await Self.refusal(TestClient(app, lint: false, capabilities: cgiLike).get("/"))
        #expect(refused?.status.code == 501)
        #expect(refused?.completion.status?.code == 501)
        #expect(refused?.loggedErrors.contains { $0.contains("answered 501") && $0.contains("supportsWebSocket") } == true)
        #expect(sightings.lines.isEmpty)
    }

    @Test("[WS-4] [RESP-3] a request that makes no handshake is answered 426 naming websocket in Upgrade and Connection")
    func notAHandshake() async throws {
        let response = try await TestClient(Self.echo).get("/").send()
        #expect(response.status == .upgradeRequired)
        #expect(response.headers["Upgrade"] == "websocket")
        #expect(response.headers["Connection"] == "Upgrade")
        #expect(response.completion.status?.code == 426)
    }

    @Test("[WS-4] a handshake for another version is answered 426 with Sec-WebSocket-Version: 13")
    func otherVersion() async throws {
        let refused = await Self.refusal(TestClient(Self.echo).get("/").header("Sec-WebSocket-Version", "8"))
        #expect(refused?.status.code == 426)
        #expect(refused?.headers["Sec-WebSocket-Version"] == "13")
    }

    @Test("[WS-4] a malformed handshake is answered 400")
    func malformedHandshake() async throws {
        let refused = await Self.refusal(TestClient(Self.echo).get("/").header("Sec-WebSocket-Key", "short"))
        #expect(refused?.status.code == 400)
    }

    @Test("[WS-9] a session that returns is closed with 1000")
    func returningClosesNormally() async throws {
        let app = App { _ in .webSocket { socket in try await socket.send("bye") } }
        try await TestClient(app).get("/").webSocket { socket async throws in
            #expect(try await socket.receive() == .text("bye"))
            #expect(try await socket.receive() == nil)
            #expect(socket.closeReceived?.code == 1000)
        }
    }

    @Test("[WS-9] [WS-11] a session that throws is closed with 1011, its error logged and in the completion")
    func throwingClosesWithInternalError() async throws {
        struct Broken: Error {}
        let log = Sightings()
        let app = App { request in
            .webSocket { _ in
                request.onCompletion { completion in log.note("completed with \(completion.error.map { "\($0)" } ?? "nil")") }
                throw Broken()
            }
        }
        try await TestClient(app).get("/").webSocket { socket async throws in
            #expect(try await socket.receive() == nil)
            #expect(socket.closeReceived?.code == 1011)
            let completion = await socket.completion()
            #expect(completion.error is Broken)
        }
        #expect(log.lines == ["completed with Broken()"])
    }

    @Test("[WS-9] the session closes with a code and reason; close returns once the client answered")
    func sessionCloses() async throws {
        let sightings = Sightings()
        let app = App { _ in
            .webSocket { socket in
                await socket.close(WebSocketClose(code: 4000, reason: "room closed"))
                sightings.note("closed")
                do {
                    try await socket.send("late")
                } catch {
                    sightings.note("\(error)")
                }
            }
        }
        // Without Lint, which reports the send after the close (WS-14).
        try await TestClient(app, lint: false).get("/").webSocket { socket async throws in
            #expect(try await socket.receive() == nil)
            #expect(socket.closeReceived == WebSocketClose(code: 4000, reason: "room closed"))
            _ = await socket.completion()
        }
        #expect(sightings.lines == ["closed", "\(WebSocketError.closed)"])
    }

    @Test("[WS-6] [WS-9] the client's close ends the messages, is answered with its code, and sends fail after it")
    func clientCloses() async throws {
        let sightings = Sightings()
        let app = App { _ in
            .webSocket { socket in
                for try await _ in socket.messages {}
                sightings.note("ended with \(socket.closeReceived.map { "\($0)" } ?? "nil")")
                do {
                    try await socket.send("after")
                } catch {
                    sightings.note("\(error)")
                }
            }
        }
        try await TestClient(app).get("/").webSocket { socket async throws in
            try await socket.close(WebSocketClose(code: 4001, reason: "leaving"))
            #expect(socket.closeReceived?.code == 4001)
            #expect(await socket.completion().error == nil)
        }
        #expect(sightings.lines == ["ended with 4001 \"leaving\"", "\(WebSocketError.closed)"])
    }

    @Test("[WS-10] [WS-11] a client that goes away without a close: reads fail with ClientDisconnected and the session is cancelled")
    func disconnect() async throws {
        let sightings = Sightings()
        let app = App { _ in
            .webSocket { socket in
                do {
                    for try await _ in socket.messages {}
                    sightings.note("ended")
                } catch {
                    sightings.note("\(error), cancelled: \(Task.isCancelled)")
                    throw error
                }
            }
        }
        try await TestClient(app).get("/").webSocket { socket async throws in
            try await socket.send("one")
            socket.disconnect()
            #expect(await socket.completion().clientDisconnected)
        }
        #expect(sightings.lines == ["\(ClientDisconnected()), cancelled: true"])
    }

    @Test("[WS-6] pings are answered by the server before the session sees them; pongs reach the session")
    func pingsAndPongs() async throws {
        let sightings = Sightings()
        let app = App { _ in
            .webSocket { socket in
                for try await message in socket.messages { sightings.note("\(message)") }
            }
        }
        try await TestClient(app).get("/").webSocket { socket async throws in
            try await socket.send(.ping([1, 2]))
            #expect(try await socket.receive() == .pong([1, 2]))
            try await socket.send(.pong([3]))
            try await socket.close()
        }
        #expect(sightings.lines == ["\(WebSocketMessage.ping([1, 2]))", "\(WebSocketMessage.pong([3]))"])
    }

    @Test("[WS-6] the messages can be read once")
    func messagesReadOnce() async throws {
        let sightings = Sightings()
        let app = App { _ in
            .webSocket { socket in
                for try await _ in socket.messages { break }
                do {
                    for try await _ in socket.messages {}
                } catch {
                    sightings.note("\(error)")
                }
            }
        }
        try await TestClient(app, lint: false).get("/").webSocket { socket async throws in
            try await socket.send("one")
            _ = try await socket.receive()
        }
        #expect(sightings.lines == ["\(WebSocketError.alreadyConsumed)"])
    }

    @Test("[WS-9] a ping or pong over 125 bytes is refused and nothing is sent")
    func longControlMessage() async throws {
        let sightings = Sightings()
        let app = App { _ in
            .webSocket { socket in
                do {
                    try await socket.send(.ping(Array(repeating: 0, count: 126)))
                } catch {
                    sightings.note("\(error)")
                }
                try await socket.send(.ping(Array(repeating: 0, count: 125)))
            }
        }
        try await TestClient(app).get("/").webSocket { socket async throws in
            #expect(try await socket.receive() == .ping(Array(repeating: 0, count: 125)))
            #expect(try await socket.receive() == nil)
        }
        #expect(sightings.lines == ["\(WebSocketError.controlPayloadTooLong(126))"])
    }

    @Test("[WS-9] sends from several tasks at once each arrive whole")
    func concurrentSends() async throws {
        let app = App { _ in
            .webSocket { socket in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for sender in 0..<8 {
                        group.addTask { for index in 0..<10 { try await socket.send("\(sender)-\(index)") } }
                    }
                    try await group.waitForAll()
                }
            }
        }
        let received = try await TestClient(app).get("/").webSocket { socket async throws in
            var texts: [String] = []
            while case let .text(text)? = try await socket.receive() { texts.append(text) }
            return texts
        }
        #expect(Set(received) == Set((0..<8).flatMap { sender in (0..<10).map { "\(sender)-\($0)" } }))
        #expect(received.count == 80)
    }

    @Test("[WS-7] a session that does not read stops the client's sends")
    func backpressure() async throws {
        let sent = Counter()
        let gate = AsyncStream<Void>.makeStream()
        let app = App { _ in
            .webSocket { socket in
                for await _ in gate.stream {}
                for try await _ in socket.messages {}
            }
        }
        try await TestClient(app).get("/").webSocket { socket async throws in
            let sender = Task {
                for _ in 0..<100 {
                    try await socket.send("x")
                    sent.add()
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            let whileBlocked = sent.value
            #expect(whileBlocked < 40, "\(whileBlocked) sends went through while the session read nothing")
            gate.continuation.finish()
            try await sender.value
            try await socket.close()
        }
        #expect(sent.value == 100)
    }

    /// The response a refused handshake got, or `nil` (recorded as an issue) when it was accepted.
    static func refusal(_ request: TestRequest, subprotocols: [String] = []) async -> TestResponse? {
        do {
            try await request.webSocket(subprotocols: subprotocols) { _ in Issue.record("the handshake was accepted") }
        } catch let TestClientError.webSocketRefused(response) {
            return response
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return nil
    }
}
