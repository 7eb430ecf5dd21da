// Turning errors a handler throws into responses: problem+json by default, or the
// application's own handler for a status or an error type (Flask's errorhandler).

public import Sluice

/// The handlers that answer errors, by error type and by status, and the default answer.
///
/// An error is answered by the first handler registered for its type; otherwise it becomes an
/// ``HTTPError`` — itself, 413 or 400 for a ``RequestBodyError``, or a logged 500 with no
/// detail for anything else — answered by the handler registered for its status, or as
/// problem+json. A client that went away (``ClientDisconnected``, cancellation) is not an
/// error to answer: it propagates.
///
/// ```swift
/// var handlers = ErrorHandlers()
/// handlers.handle(.notFound) { request, error in .text("nothing at \(request.path)\n", status: .notFound) }
/// handlers.handle(DatabaseError.self) { request, error in HTTPError(.serviceUnavailable).response }
/// ```
public struct ErrorHandlers: Sendable {
    /// Answers an error of some type; `nil` passes it on to the next handler.
    typealias TypeHandler = @Sendable (Request, any Error) async throws -> Response?

    private var byType: [TypeHandler] = []
    private var byStatus: [Int: @Sendable (Request, HTTPError) async throws -> Response] = [:]

    /// Creates handlers that answer every error as problem+json.
    public init() {}

    /// Answers errors whose status is `status`, including the 404 and 405 a ``Router`` gives.
    public mutating func handle(
        _ status: Response.Status,
        with handler: @escaping @Sendable (Request, HTTPError) async throws -> Response
    ) {
        byStatus[status.code] = handler
    }

    /// Answers errors of type `type`, before they are turned into an ``HTTPError``.
    public mutating func handle<Failure: Error>(
        _ type: Failure.Type,
        with handler: @escaping @Sendable (Request, Failure) async throws -> Response
    ) {
        byType.append { request, error in
            guard let error = error as? Failure else { return nil }
            return try await handler(request, error)
        }
    }

    /// The handlers of `other` after these: used when a blueprint's errors fall through to its
    /// application's.
    func followed(by other: ErrorHandlers) -> ErrorHandlers {
        var merged = self
        merged.byType += other.byType
        merged.byStatus.merge(other.byStatus) { mine, _ in mine }
        return merged
    }

    /// The response for an error thrown while answering `request`; rethrows a disconnection.
    public func response(for error: any Error, to request: Request) async throws -> Response {
        if error is ClientDisconnected || error is CancellationError { throw error }
        for handler in byType {
            if let response = try await handler(request, error) { return response }
        }
        let problem = Self.httpError(for: error, request)
        if let handler = byStatus[problem.status.code] { return try await handler(request, problem) }
        return problem.response
    }

    /// The error as an ``HTTPError``; an unexpected one is logged, and its text not sent.
    private static func httpError(for error: any Error, _ request: Request) -> HTTPError {
        switch error {
        case let error as HTTPError:
            return error
        case let RequestBodyError.tooLarge(limit):
            return HTTPError(.contentTooLarge, detail: "the request body is larger than \(limit) bytes")
        case RequestBodyError.truncated:
            return HTTPError(.badRequest, detail: "the request body ended before its declared length")
        default:
            request.errorLog.write("sluice: \(request.method) \(request.target): answered 500: \(error)")
            return HTTPError(.internalServerError)
        }
    }
}

extension Application {
    /// This application with the errors it throws answered by `handlers` (problem+json by
    /// default) instead of the server's plain 500. ``Router`` does this itself.
    public func answeringErrors(with handlers: ErrorHandlers = ErrorHandlers()) -> any Application {
        Middleware { request, next in
            do {
                return try await next.respond(to: request)
            } catch {
                return try await handlers.response(for: error, to: request)
            }
        }(self)
    }
}
