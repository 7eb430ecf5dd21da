// A WebSocket connection in memory between the test client and the test server, and the test
// server's side of it: what a real server does with frames, without the frames.

import Sluice
import Synchronization

/// One WebSocket between the test client and the application, after its handshake.
///
/// Like a real server (Spec WS-6 to WS-12), the test server reads the client's messages in a
/// loop of its own ( ``serve()``): it answers pings at once, passes messages to the session
/// through a small buffer (a session that does not read stops the loop, and then the client's
/// sends), answers the client's close, and sees a client that goes away without one. Only
/// framing is left out: messages cross whole.
final class TestWebSocketConnection: Sendable {
    /// What crosses the connection: a message, or a close frame (`nil` for one without code).
    enum Frame: Sendable {
        case message(WebSocketMessage)
        case close(WebSocketClose?)
    }

    /// How far the closing handshake got.
    enum Phase: Sendable, Equatable {
        case open
        /// The session's close went out; the client's is due.
        case closing
        /// The connection is closed, after a closing handshake or because the client went away.
        case closed(droppedByClient: Bool)
    }

    private struct State: Sendable {
        var phase = Phase.open
        var closeFromClient: WebSocketClose?
        var closeWaiters: [CheckedContinuation<(any Error)?, Never>] = []
    }

    /// The client's frames, to the server's loop: a rendezvous, so that a server that stops
    /// reading stops the client (Spec WS-7).
    let fromClient = Handoff<Frame>()
    /// The server's frames, to the client.
    let toClient = Handoff<Frame>(capacity: 64)
    /// The client's messages, to the session; the room the loop has before it waits.
    let messages = Handoff<WebSocketMessage>(capacity: 16)
    /// The fields of the `101` the application's acceptance made.
    let headers: Headers
    private let state = Mutex(State())
    private let loop = Mutex<Task<Void, Never>?>(nil)

    init(headers: Headers) {
        self.headers = headers
    }

    /// Starts the server's loop (``serve()``).
    func start() {
        loop.withLock { $0 = Task { await self.serve() } }
    }

    /// Returns once the server's loop ended: the connection is closed.
    func closed() async {
        await loop.withLock { $0 }?.value
    }

    /// The client goes away without a close frame (Spec WS-10).
    func clientLeft() {
        fromClient.finish()
    }

    /// Whether the connection closed after a closing handshake.
    var closedCleanly: Bool { phase == .closed(droppedByClient: false) }

    var phase: Phase { state.withLock(\.phase) }

    /// The server's loop: reads the client's frames until the connection closes.
    private func serve() async {
        while let frame = try? await fromClient.receive() {
            switch frame {
            case let .message(message):
                guard phase == .open else { continue }
                if case let .ping(payload) = message {
                    try? await toClient.send(.message(.pong(payload)))
                }
                try? await messages.send(message)
            case let .close(close):
                let wasOpen = state.withLock { state in
                    state.closeFromClient = close ?? .noStatusReceived
                    return state.phase == .open
                }
                if wasOpen {
                    // Answered with the same code, or with no code (Spec WS-9).
                    try? await toClient.send(.close(close.map { WebSocketClose(code: $0.code) }))
                }
                return closed(droppedByClient: false)
            }
        }
        // The client's side ended without a close frame: it went away (Spec WS-10).
        closed(droppedByClient: true)
    }

    /// Ends the connection: the session's reads end (or fail, for a client that went away while
    /// it was open), the client reads what was sent and then the end, and waiting closes return.
    private func closed(droppedByClient: Bool) {
        let (dropped, waiters) = state.withLock { state in
            // A client that goes away after the session's close ended the handshake its own way.
            let dropped = droppedByClient && state.phase == .open
            state.phase = .closed(droppedByClient: dropped)
            defer { state.closeWaiters = [] }
            return (dropped, state.closeWaiters)
        }
        messages.finish(throwing: dropped ? ClientDisconnected() : nil)
        toClient.finish()
        fromClient.close(throwing: ClientDisconnected())
        for waiter in waiters { waiter.resume(returning: dropped ? ClientDisconnected() : nil) }
    }
}

/// The session's end of a ``TestWebSocketConnection``: the transport the core's ``WebSocket``
/// talks through.
struct TestWebSocketTransport: WebSocketTransport {
    let connection: TestWebSocketConnection

    func receive() async throws -> WebSocketMessage? {
        do {
            return try await connection.messages.receive()
        } catch is CancellationError {
            // The session's task is cancelled when the client goes away (Spec WS-10).
            throw ClientDisconnected()
        }
    }

    func send(_ message: WebSocketMessage) async throws {
        try connection.checkOpen()
        do {
            try await connection.toClient.send(.message(message))
        } catch is CancellationError {
            throw ClientDisconnected()
        }
    }

    func close(_ close: WebSocketClose) async -> (any Error)? {
        await connection.sessionCloses(with: close.sendable)
    }

    var closeReceived: WebSocketClose? { connection.closeFromClient }
}

extension TestWebSocketConnection {
    /// The client's close frame, once it arrived.
    var closeFromClient: WebSocketClose? { state.withLock(\.closeFromClient) }

    /// Throws unless the session may send: ``WebSocketError/closed`` once the closing handshake
    /// began, ``ClientDisconnected`` once the client went away (Spec WS-9, WS-10).
    func checkOpen() throws {
        switch phase {
        case .open: return
        case .closed(droppedByClient: true): throw ClientDisconnected()
        case .closing, .closed: throw WebSocketError.closed
        }
    }

    /// The session closes: its close frame goes to the client (once), its reads end at once, and
    /// it waits until the client answered or went away.
    func sessionCloses(with close: WebSocketClose) async -> (any Error)? {
        let first = state.withLock { state in
            guard state.phase == .open else { return false }
            state.phase = .closing
            return true
        }
        if first {
            // Closed rather than finished: a loop waiting to hand over a message must not wait on.
            messages.close()
            try? await toClient.send(.close(close))
        }
        return await withCheckedContinuation { waiter in
            let ending = state.withLock { state -> (any Error)?? in
                guard case let .closed(dropped) = state.phase else {
                    state.closeWaiters.append(waiter)
                    return nil
                }
                return .some(dropped ? ClientDisconnected() : nil)
            }
            if let ending { waiter.resume(returning: ending) }
        }
    }
}
