// Requests an adapter answers itself, before any application sees them.

public import Sluice

/// Why an adapter answers a request without running the application (Spec ERR-3).
///
/// CGI and FastCGI adapters build one when the meta-variables cannot make a ``Request`` or
/// break a limit, then ``answer(through:errorLog:capabilities:)`` sends the plain error
/// response through the gateway like any other.
public struct Rejection: Error, Sendable {
    /// The status the client gets.
    public let status: Response.Status
    /// What was wrong, for the error log.
    public let reason: String

    /// A rejection with a status and a reason.
    public init(status: Response.Status, reason: String) {
        self.status = status
        self.reason = reason
    }

    /// The declared body is longer than the limit (413, Spec CGI-5).
    public init(contentLength: Int, limit: Int) {
        status = .contentTooLarge
        reason = "CONTENT_LENGTH \(contentLength) is over the limit of \(limit) bytes"
    }

    /// Logs the reason and writes the status's plain-text response through the gateway. The
    /// request is a stand-in, since the real one could not be built; a front server drops the
    /// body when the real method was HEAD (RFC 3875 section 4.3.2).
    public func answer(
        through writer: some ResponseWriter,
        errorLog: ErrorLog,
        capabilities: ServerCapabilities
    ) async -> Completion {
        errorLog.write("sluice: request answered \(status.code): \(reason)")
        let standIn = Request(method: .get, target: "/", pathInfo: "/", errorLog: errorLog, capabilities: capabilities)
        let status = status
        return await Gateway.respond(to: standIn, with: App { _ in .status(status) }, through: writer)
    }
}
