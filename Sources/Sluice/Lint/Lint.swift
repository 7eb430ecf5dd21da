// Lint: middleware that checks both sides of the protocol against the Spec. (Stub; being written.)

/// A rule of the Spec that a server or an application broke.
public struct LintViolation: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule's identifier, such as `RESP-4`.
    public var rule: String
    /// What was wrong, in one sentence.
    public var message: String

    /// Creates a violation.
    public init(rule: String, message: String) {
        self.rule = rule
        self.message = message
    }

    /// `[RULE] message`.
    public var description: String { "[\(rule)] \(message)" }
}

/// Wraps an application and checks the request it receives and the response it returns.
public struct Lint: Application {
    private let inner: any Application
    private let report: @Sendable (LintViolation) -> Void

    /// Wraps `application`; every violation is passed to `report` as well as thrown.
    public init(_ application: any Application, report: @escaping @Sendable (LintViolation) -> Void = { _ in }) {
        inner = application
        self.report = report
    }

    /// Checks the request, runs the application, checks its response.
    public func respond(to request: Request) async throws -> Response {
        try await inner.respond(to: request)
    }
}
