// Requests answered by the adapter itself, before the application sees them.

import Sluice

/// Why the adapter answers a request without running the application (Spec ERR-3, CGI-1, CGI-5).
struct Rejection: Error {
    /// The status the client gets.
    let status: Response.Status
    /// What was wrong, for the error log.
    let reason: String

    /// A meta-variable the request cannot be built without is missing (500: the server is
    /// misconfigured) or malformed (400).
    init(_ error: MetaVariableError) {
        switch error {
        case .missing: status = .internalServerError
        case .invalid: status = .badRequest
        }
        reason = error.description
    }

    /// The declared body is longer than the limit (413).
    init(contentLength: Int, limit: Int) {
        status = .contentTooLarge
        reason = "CONTENT_LENGTH \(contentLength) is over the limit of \(limit) bytes"
    }

    /// The application could not start (500).
    init(startupFailure error: any Error) {
        status = .internalServerError
        reason = "the application failed to start: \(error)"
    }

    /// Logs the reason and writes the status's plain-text response, through the same gateway
    /// path as any response. The request is a stand-in: the real one could not be built. A
    /// server drops the body when the real method was HEAD (RFC 3875 section 4.3.2).
    func answer(through writer: StandardOutputWriter, errorLog: ErrorLog) async -> Completion {
        errorLog.write("sluice: CGI request answered \(status): \(reason)")
        let standIn = Request(method: .get, target: "/", pathInfo: "/", errorLog: errorLog, capabilities: CGI.capabilities)
        let status = status
        return await Gateway.respond(to: standIn, with: App { _ in .status(status) }, through: writer)
    }
}
