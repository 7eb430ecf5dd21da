// Requests answered by the adapter itself, before the application sees them.

import Sluice

/// Why the adapter answers a request without running the application (Spec ERR-3).
struct Rejection: Error {
    /// The status the front server gets.
    let status: Response.Status
    /// What was wrong, for the error log.
    let reason: String

    /// A param the request cannot be built without is missing (500: the front server is
    /// misconfigured) or malformed (400) (Spec CGI-1, CGI-5).
    init(_ error: MetaVariableError) {
        switch error {
        case .missing: status = .internalServerError
        case .invalid: status = .badRequest
        }
        reason = error.description
    }

    /// The declared body is longer than the limit (413, Spec CGI-5).
    init(contentLength: Int, limit: Int) {
        status = .contentTooLarge
        reason = "CONTENT_LENGTH \(contentLength) is over the limit of \(limit) bytes"
    }

    /// The params are larger than the limit (431: they are mostly the client's header fields).
    init(paramsLength: Int, limit: Int) {
        status = 431
        reason = "the params take \(paramsLength) bytes, over the limit of \(limit)"
    }

    /// The application answering the rejection, and a stand-in request for it: the real one
    /// could not be built. The front server drops the body when the real method was HEAD.
    func standIn(errorLog: ErrorLog, capabilities: ServerCapabilities) -> (Request, App) {
        errorLog.write("sluice: FastCGI request answered \(status): \(reason)")
        let request = Request(method: .get, target: "/", pathInfo: "/", errorLog: errorLog, capabilities: capabilities)
        let status = status
        return (request, App { _ in .status(status) })
    }
}
