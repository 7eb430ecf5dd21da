// Typed results of API handlers, and how they become JSON responses.

import Foundation
import Sluice

/// What an API handler returns: a status and a typed value that becomes the JSON body.
struct JSONReply: Sendable {
    /// The status.
    var status: Response.Status
    /// The value to encode; `nil` for no body (204).
    var value: (any Encodable & Sendable)?
    /// Extra header fields, such as `Location`.
    var headers = Headers()

    /// A reply with `value` as its body.
    init(status: Response.Status = .ok, _ value: (any Encodable & Sendable)?, headers: Headers = Headers()) {
        self.status = status
        self.value = value
        self.headers = headers
    }

    /// 204, no body.
    static let noContent = JSONReply(status: .noContent, nil)

    /// `{"error": message}` with `status`.
    static func error(_ message: String, status: Response.Status) -> Response {
        JSONReply(status: status, ErrorMessage(error: message)).response
    }

    /// The reply as a response; keys sorted, so the output is stable.
    var response: Response {
        var response = Response(status: status, headers: headers)
        guard let value else { return response }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding these plain structs cannot fail; a failure would be a programming error.
        guard let bytes = try? encoder.encode(value) else {
            preconditionFailure("a reply's value failed to encode as JSON")
        }
        response.headers["Content-Type"] = "application/json"
        response.body = ResponseBody(bytes: Array(bytes))
        return response
    }
}

extension Request {
    /// The body decoded as JSON into `type`; 400 for anything that is not.
    func decodedBody<Input: Decodable>(as type: Input.Type) async throws -> Input {
        let bytes = try await body.collect(upTo: 64 * 1024)
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw APIError.badRequest("the body must be a JSON object")
        }
    }
}
