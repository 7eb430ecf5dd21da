// Middleware: a function from application to application.

/// Middleware turns an application into another one (Spec APP-3).
///
/// Any function `(any Application) -> any Application` is middleware; this type names the
/// common shape — code around the inner application's `respond` — and keeps the inner
/// application's ``Application/startup()`` and ``Application/shutdown()`` running.
///
/// ```swift
/// let timed = Middleware { request, next in
///     let response = try await next.respond(to: request)
///     request.errorLog.write("\(request.method) \(request.path) -> \(response.status.code)")
///     return response
/// }
/// let app = timed(hello)
/// ```
public struct Middleware: Sendable {
    private let intercept: @Sendable (Request, any Application) async throws -> Response

    /// Creates middleware from a closure that receives each request and the inner application.
    public init(_ intercept: @escaping @Sendable (Request, _ next: any Application) async throws -> Response) {
        self.intercept = intercept
    }

    /// Wraps an application.
    public func callAsFunction(_ inner: any Application) -> any Application {
        Intercepted(inner: inner, intercept: intercept)
    }
}

extension Application {
    /// This application wrapped by each middleware in turn, the first one outermost.
    public func wrapped(by middleware: Middleware...) -> any Application {
        middleware.reversed().reduce(self as any Application) { inner, outer in outer(inner) }
    }
}

/// An application that runs a closure around an inner one and forwards its lifecycle.
struct Intercepted: Application {
    let inner: any Application
    let intercept: @Sendable (Request, any Application) async throws -> Response

    func respond(to request: Request) async throws -> Response {
        try await intercept(request, inner)
    }

    func startup() async throws {
        try await inner.startup()
    }

    func shutdown() async {
        await inner.shutdown()
    }
}
