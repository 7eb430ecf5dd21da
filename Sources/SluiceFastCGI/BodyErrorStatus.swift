// Request-body failures that are the client's doing, answered as such.

import Sluice

/// Wraps an application so that a request-body error escaping it becomes the client error it
/// stands for instead of the 500 any other error gets (Spec ERR-1, ERR-3): a body cut short
/// (`FCGI_STDIN` ended before `CONTENT_LENGTH`) is answered 400, a body over the limit 413.
///
/// Only errors thrown before the response exists are mapped; once the head is out, a failure
/// ends the response abnormally (Spec ERR-2).
struct BodyErrorStatus<Wrapped: Application>: Application {
    let wrapped: Wrapped

    func respond(to request: Request) async throws -> Response {
        do {
            return try await wrapped.respond(to: request)
        } catch let error as RequestBodyError {
            let status: Response.Status
            switch error {
            case .truncated: status = .badRequest
            case .tooLarge: status = .contentTooLarge
            case .alreadyConsumed: throw error
            }
            request.errorLog.write("sluice: \(request.method) \(request.target): \(error); answered \(status)")
            return .status(status)
        }
    }
}
