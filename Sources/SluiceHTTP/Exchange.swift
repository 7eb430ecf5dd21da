// The handle an application's task holds to reach its connection, from any thread.

import NIOCore
import Sluice

/// One request's way to its connection: every call hops to the connection's event loop (or
/// runs at once when already there, which is where requests normally run) and acts on the
/// handler only if this request is still the one it serves.
final class Exchange<App: Application>: Sendable {
    private let handler: NIOLoopBound<HTTPExchangeHandler<App>>
    private let eventLoop: any EventLoop
    /// Tells this request from later ones on the same connection.
    let id: Int

    init(handler: HTTPExchangeHandler<App>, eventLoop: any EventLoop, id: Int) {
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
        self.eventLoop = eventLoop
        self.id = id
    }

    /// Runs `body` with the handler on its event loop and returns its result.
    func perform<Result: Sendable>(_ body: @escaping @Sendable (HTTPExchangeHandler<App>) throws -> Result) async throws -> Result {
        if eventLoop.inEventLoop {
            return try body(handler.value)
        }
        let handler = self.handler
        return try await eventLoop.submit { try body(handler.value) }.get()
    }

    /// Suspends until the handler resumes the continuation it is given on its event loop.
    func suspend<Result: Sendable>(
        _ body: @escaping @Sendable (HTTPExchangeHandler<App>, CheckedContinuation<Result, any Error>) -> Void
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

    /// Tells the handler the gateway is done with this request.
    func complete(with completion: Completion) {
        let handler = self.handler
        let id = self.id
        let outcome = CompletionOutcome(completion)
        if eventLoop.inEventLoop {
            handler.value.exchangeCompleted(id: id, outcome: outcome)
        } else {
            eventLoop.execute { handler.value.exchangeCompleted(id: id, outcome: outcome) }
        }
    }
}

/// What the handler needs to know of a ``Completion``, in a form it can carry across threads.
struct CompletionOutcome: Sendable {
    /// Whether the request failed.
    var failed: Bool
    /// Whether it failed because the client went away.
    var clientDisconnected: Bool
    /// The error's text, for the log.
    var errorDescription: String

    init(_ completion: Completion) {
        failed = completion.error != nil
        clientDisconnected = completion.clientDisconnected
        errorDescription = completion.error.map { String(describing: $0) } ?? ""
    }
}
