// The answers an API handler gives by throwing: each becomes a JSON error response.

import Sluice

/// A request the API refuses, and how: thrown by handlers, answered by ``Resource``.
enum APIError: Error {
    /// 400: the body is not the JSON the endpoint takes.
    case badRequest(String)
    /// 401: the endpoint needs a user and the request names none.
    case unauthorized
    /// 404: no such resource (or not this user's).
    case notFound
    /// 405: the resource exists but not with this method; lists the ones it has.
    case methodNotAllowed(allowed: [Request.Method])
    /// 422: the input is well-formed but invalid; the message for each bad field.
    case invalid([String: String])

    /// The error as a JSON response: `{"errors": {...}}` for invalid fields,
    /// `{"error": "..."}` otherwise.
    var response: Response {
        switch self {
        case let .badRequest(reason):
            JSONReply.error(reason, status: .badRequest)
        case .unauthorized:
            JSONReply.error("send Authorization: Bearer <token> of a registered user", status: .unauthorized)
        case .notFound:
            JSONReply.error("not found", status: .notFound)
        case let .methodNotAllowed(allowed):
            JSONReply.error("method not allowed", status: .methodNotAllowed)
                .adding("Allow", allowed.map(\.rawValue).joined(separator: ", "))
        case let .invalid(fields):
            JSONReply(status: .unprocessableContent, FieldErrors(errors: fields)).response
        }
    }
}

/// The body of a 422: each invalid field with what is wrong with it.
struct FieldErrors: Encodable, Sendable {
    var errors: [String: String]
}

/// The body of other errors.
struct ErrorMessage: Encodable, Sendable {
    var error: String
}

extension Response {
    /// The response with one more header field.
    func adding(_ name: String, _ value: String) -> Response {
        var response = self
        response.headers.append(name: name, value: value)
        return response
    }
}
