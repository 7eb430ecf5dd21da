// The handle applications' tasks hold to reach their connection, from any thread.

import NIOCore
import Sluice

/// The requests' way to their connection, made once per connection: every call acts on the
/// handler at once when it is made on the connection's event loop (where requests normally
/// run), or hops there, and the handler acts only if the request `id` names is still the one
/// it serves.
///
/// Each method spells out both paths rather than sharing a helper that takes the work as a
/// closure: a closure that may be sent to the loop must be escaping, and an escaping
/// closure's captures are allocated on every call, on the loop too, where requests run.
final class ConnectionLink: Sendable {
    private let handler: NIOLoopBound<HTTPConnectionHandler>
    private let eventLoop: any EventLoop

    init(handler: HTTPConnectionHandler, eventLoop: any EventLoop) {
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
        self.eventLoop = eventLoop
    }

    func writeInformational(id: Int, status: Response.Status, headers: Headers) async throws {
        if eventLoop.inEventLoop {
            return try handler.value.writeInformational(id: id, status: status, headers: headers)
        }
        try await eventLoop.submit { [handler, id] in
            try handler.value.writeInformational(id: id, status: status, headers: headers)
        }.get()
    }

    func writeHead(id: Int, status: Response.Status, headers: Headers) async throws {
        if eventLoop.inEventLoop {
            return try handler.value.writeHead(id: id, status: status, headers: headers)
        }
        try await eventLoop.submit { [handler, id] in try handler.value.writeHead(id: id, status: status, headers: headers) }.get()
    }

    func writeWholeResponse(id: Int, status: Response.Status, headers: Headers, body: [UInt8]) async throws -> Bool {
        if eventLoop.inEventLoop {
            return try handler.value.writeWholeResponse(id: id, status: status, headers: headers, body: body)
        }
        return try await eventLoop.submit { [handler, id] in
            try handler.value.writeWholeResponse(id: id, status: status, headers: headers, body: body)
        }.get()
    }

    func write(id: Int, _ bytes: [UInt8]) async throws {
        let mustWait =
            if eventLoop.inEventLoop {
                try handler.value.writeBody(id: id, bytes: bytes)
            } else {
                try await eventLoop.submit { [handler, id] in try handler.value.writeBody(id: id, bytes: bytes) }.get()
            }
        if mustWait {
            try await suspend(id: id) { handler, id, continuation in handler.waitForWritability(id: id, continuation: continuation) }
        }
    }

    func flush(id: Int) async throws {
        if eventLoop.inEventLoop {
            return try handler.value.flush(id: id)
        }
        try await eventLoop.submit { [handler, id] in try handler.value.flush(id: id) }.get()
    }

    func finish(id: Int, trailers: Headers?) async throws {
        if eventLoop.inEventLoop {
            return try handler.value.finish(id: id, trailers: trailers)
        }
        try await eventLoop.submit { [handler, id] in try handler.value.finish(id: id, trailers: trailers) }.get()
    }

    func acceptWebSocket(id: Int, handshake: WebSocketHandshake, subprotocol: String?, headers: Headers) async throws -> ChannelWebSocket {
        // A turn of the event loop later, even on it: the end of the handshake request, which the
        // HTTP decoder delivers right after its head, must have reached the handler first.
        try await eventLoop.submit { [handler, id] in
            try handler.value.acceptWebSocket(id: id, handshake: handshake, subprotocol: subprotocol, headers: headers)
        }.get()
    }

    func nextBodyChunk(id: Int) async throws -> [UInt8]? {
        try await suspend(id: id) { handler, id, continuation in handler.nextBodyChunk(id: id, continuation: continuation) }
    }

    /// Suspends until the handler resumes the continuation it is given on its event loop.
    private func suspend<Result: Sendable>(
        id: Int, _ body: @escaping @Sendable (HTTPConnectionHandler, Int, CheckedContinuation<Result, any Error>) -> Void
    ) async throws -> Result {
        let handler = self.handler
        let eventLoop = self.eventLoop
        return try await withCheckedThrowingContinuation { continuation in
            if eventLoop.inEventLoop {
                body(handler.value, id, continuation)
            } else {
                eventLoop.execute { body(handler.value, id, continuation) }
            }
        }
    }

    /// Tells the handler the gateway is done with request `id`, when it failed: the handler
    /// has nothing to do for a request that succeeded.
    func complete(id: Int, with completion: Completion) {
        guard completion.error != nil else { return }
        let outcome = CompletionOutcome(completion)
        if eventLoop.inEventLoop {
            handler.value.exchangeCompleted(id: id, outcome: outcome)
        } else {
            eventLoop.execute { [handler, id] in handler.value.exchangeCompleted(id: id, outcome: outcome) }
        }
    }
}

/// What the handler needs to know of a failed request's ``Completion``, in a form it can
/// carry across threads.
struct CompletionOutcome: Sendable {
    /// Whether it failed because the client went away.
    var clientDisconnected: Bool
    /// The error's text, for the log.
    var errorDescription: String

    init(_ completion: Completion) {
        clientDisconnected = completion.clientDisconnected
        errorDescription = completion.error.map { String(describing: $0) } ?? ""
    }
}
