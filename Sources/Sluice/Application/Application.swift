// The one protocol a Sluice application implements.

/// A web application: a value that answers requests.
///
/// A server calls ``respond(to:)`` for each request, concurrently when its
/// ``ServerCapabilities/isConcurrent`` says so; the returned ``Response``'s body may go on
/// streaming after the call returns (Spec APP-1). ``startup()`` runs once per process before
/// the first request and ``shutdown()`` once after the last (Spec LIFE-1, LIFE-2).
public protocol Application: Sendable {
    /// Answers one request. Throwing before a response is returned makes the server answer
    /// 500 and log the error (Spec ERR-1).
    func respond(to request: Request) async throws -> Response

    /// Prepares process-wide resources. A throw stops the server from serving (Spec LIFE-1).
    func startup() async throws

    /// Releases process-wide resources, after the last request completed (Spec LIFE-2).
    func shutdown() async
}

extension Application {
    /// Does nothing: most applications need no start-up work.
    public func startup() async throws {}

    /// Does nothing: most applications need no shut-down work.
    public func shutdown() async {}
}

/// An application made of closures: the quickest way to write one.
///
/// ```swift
/// let hello = App { request in .text("Hello from \(request.path)\n") }
/// ```
public struct App: Application {
    private let handler: @Sendable (Request) async throws -> Response
    private let onStartup: @Sendable () async throws -> Void
    private let onShutdown: @Sendable () async -> Void

    /// Creates an application from a request handler and optional lifecycle closures.
    public init(
        startup: @escaping @Sendable () async throws -> Void = {},
        shutdown: @escaping @Sendable () async -> Void = {},
        _ handler: @escaping @Sendable (Request) async throws -> Response
    ) {
        self.handler = handler
        onStartup = startup
        onShutdown = shutdown
    }

    /// Calls the handler.
    public func respond(to request: Request) async throws -> Response {
        try await handler(request)
    }

    /// Calls the start-up closure.
    public func startup() async throws {
        try await onStartup()
    }

    /// Calls the shut-down closure.
    public func shutdown() async {
        await onShutdown()
    }
}
