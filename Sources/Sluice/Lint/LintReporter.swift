// Where Lint's findings go: the caller's report closure, then a throw or the error log.

/// Hands violations to the ``Lint`` user's report closure, and decides which one is thrown.
struct LintReporter: Sendable {
    let report: @Sendable (LintViolation) -> Void
    let errorLog: ErrorLog

    /// Reports every violation and throws the first error among them.
    ///
    /// The others are written to the error log: only one error can be thrown, and a warning
    /// never is, but none may go unseen.
    func check(_ violations: [LintViolation]) throws(LintViolation) {
        let thrown = violations.first { $0.severity == .error }
        for violation in violations {
            report(violation)
            if violation != thrown { errorLog.write("sluice lint: \(violation)") }
        }
        if let thrown { throw thrown }
    }

    /// Reports an error and returns it, for the caller to throw.
    func fail(_ violation: LintViolation) -> LintViolation {
        report(violation)
        return violation
    }

    /// Reports a violation found where nothing can be thrown to (a completion hook, shutdown),
    /// and writes it to the error log.
    func log(_ violation: LintViolation) {
        report(violation)
        errorLog.write("sluice lint: \(violation)")
    }

    /// The error an application threw, as the violation it shows: a second read of the body
    /// surfaces as ``RequestBodyError/alreadyConsumed`` (Spec BODY-1), a second read of a
    /// WebSocket's messages and an oversized ping or pong as ``WebSocketError`` (Spec WS-6,
    /// WS-9); violations Lint threw itself pass unchanged, since they were reported when found.
    func violation(in error: any Error) -> any Error {
        switch error {
        case RequestBodyError.alreadyConsumed:
            fail(.application("BODY-1", "the application read the request body a second time"))
        case WebSocketError.alreadyConsumed:
            fail(.application("WS-6", "the session read the WebSocket's messages a second time"))
        case let WebSocketError.controlPayloadTooLong(count):
            fail(.application("WS-9", "the session sent a ping or pong of \(count) bytes; at most 125"))
        default:
            error
        }
    }
}
