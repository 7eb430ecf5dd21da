// The test client's end of a WebSocket.

public import Sluice
import Synchronization

/// A WebSocket the test client opened with ``TestRequest/webSocket(subprotocols:_:)``: the
/// test sends and receives the messages a browser would, in process.
///
/// ```swift
/// try await client.get("/echo").webSocket { socket in
///     try await socket.send("hello")
///     #expect(try await socket.receive() == .text("hello"))
///     try await socket.close()
///     #expect(socket.closeReceived == .normalClosure)
/// }
/// ```
///
/// Like a browser, it answers the application's close with its own. Returning from the test's
/// closure without closing goes away without a close frame: the session sees
/// ``ClientDisconnected`` and is cancelled (Spec WS-10).
public final class TestWebSocket: Sendable {
    /// The fields of the `101 Switching Protocols`, in order.
    public let headers: Headers
    /// The subprotocol the application accepted (`Sec-WebSocket-Protocol`), or `nil`.
    public var subprotocol: String? { headers["Sec-WebSocket-Protocol"] }

    let connection: TestWebSocketConnection
    private let leave: @Sendable () -> Void
    private let server: Task<Completion, Never>
    private let received = Mutex<(close: WebSocketClose?, sentClose: Bool)>((nil, false))

    init(connection: TestWebSocketConnection, server: Task<Completion, Never>, leave: @escaping @Sendable () -> Void) {
        headers = connection.headers
        self.connection = connection
        self.server = server
        self.leave = leave
    }

    /// Sends a message to the application; waits while the server does not read (Spec WS-7).
    /// Throws ``WebSocketError/closed`` once the WebSocket is closed.
    public func send(_ message: WebSocketMessage) async throws {
        guard !received.withLock(\.sentClose) else { throw WebSocketError.closed }
        do {
            try await connection.fromClient.send(.message(message))
        } catch {
            throw WebSocketError.closed
        }
    }

    /// Sends a text message.
    public func send(_ text: String) async throws {
        try await send(.text(text))
    }

    /// The application's next message — the server's pongs to the test's pings included — or
    /// `nil` once the application closed (see ``closeReceived``) or the connection ended.
    public func receive() async throws -> WebSocketMessage? {
        while let frame = try await connection.toClient.receive() {
            switch frame {
            case let .message(message):
                return message
            case let .close(close):
                let answers = received.withLock { received in
                    received.close = close ?? .noStatusReceived
                    defer { received.sentClose = true }
                    return !received.sentClose
                }
                if answers { try? await connection.fromClient.send(.close(close.map { WebSocketClose(code: $0.code) })) }
                return nil
            }
        }
        return nil
    }

    /// Closes the WebSocket: sends `close`, then reads and drops the application's messages up
    /// to its answer (Spec WS-9).
    public func close(_ close: WebSocketClose = .normalClosure) async throws {
        let sends = received.withLock { received in
            defer { received.sentClose = true }
            return !received.sentClose
        }
        if sends { try? await connection.fromClient.send(.close(close)) }
        while try await receive() != nil {}
    }

    /// The close frame the application sent, once it arrived.
    public var closeReceived: WebSocketClose? { received.withLock(\.close) }

    /// Goes away without a close frame, as a client whose connection drops: the session's reads
    /// and sends fail with ``ClientDisconnected`` and its task is cancelled (Spec WS-10).
    public func disconnect() {
        leave()
    }

    /// Waits for the request to complete and returns its outcome, after the completion hooks
    /// ran (Spec WS-11). Call it after closing or disconnecting.
    public func completion() async -> Completion {
        await server.value
    }
}
