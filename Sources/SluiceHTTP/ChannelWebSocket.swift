// The session's end of a WebSocket connection: the transport the core's WebSocket talks through.

import NIOCore
import Sluice
import Synchronization

/// Carries a session's reads, sends and close to its ``WebSocketConnectionHandler``, from any
/// thread: at once on the connection's event loop (where sessions normally run), else by a hop
/// there.
final class ChannelWebSocket: WebSocketTransport {
    private let handler: NIOLoopBound<WebSocketConnectionHandler>
    private let eventLoop: any EventLoop
    private let receivedClose = Mutex<WebSocketClose?>(nil)
    /// The client's address, for the log.
    let peer: String

    init(handler: WebSocketConnectionHandler, eventLoop: any EventLoop, peer: String) {
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
        self.eventLoop = eventLoop
        self.peer = peer
    }

    func receive() async throws -> WebSocketMessage? {
        try await suspend { handler, continuation in handler.nextMessage(continuation) }
    }

    func send(_ message: WebSocketMessage) async throws {
        let mustWait =
            if eventLoop.inEventLoop {
                try handler.value.send(message)
            } else {
                try await eventLoop.submit { [handler] in try handler.value.send(message) }.get()
            }
        if mustWait {
            try await suspend { handler, continuation in handler.waitForWritability(continuation) }
        }
    }

    func close(_ close: WebSocketClose) async -> (any Error)? {
        let handler = self.handler
        let eventLoop = self.eventLoop
        return await withCheckedContinuation { continuation in
            if eventLoop.inEventLoop {
                handler.value.close(close, continuation)
            } else {
                eventLoop.execute { handler.value.close(close, continuation) }
            }
        }
    }

    var closeReceived: WebSocketClose? { receivedClose.withLock { $0 } }

    /// Records the client's close frame when it arrives (on the event loop).
    func closeArrived(_ close: WebSocketClose?) {
        receivedClose.withLock { $0 = close }
    }

    /// Suspends until the handler resumes the continuation it is given on its event loop.
    private func suspend<Result: Sendable>(
        _ body: @escaping @Sendable (WebSocketConnectionHandler, CheckedContinuation<Result, any Error>) -> Void
    ) async throws -> Result {
        let handler = self.handler
        let eventLoop = self.eventLoop
        return try await withCheckedThrowingContinuation { continuation in
            if eventLoop.inEventLoop {
                body(handler.value, continuation)
            } else {
                eventLoop.execute { body(handler.value, continuation) }
            }
        }
    }
}
