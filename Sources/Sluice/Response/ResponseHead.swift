// The rules a response head must keep before any server sends it (Spec RESP-2, RESP-3, SEC-2).

/// Why a response's head cannot be sent as the application returned it.
public struct InvalidResponseHead: Error, Hashable, CustomStringConvertible {
    /// What is wrong with the head, in one sentence.
    public var reason: String

    /// A head refused for `reason`.
    package init(reason: String) {
        self.reason = reason
    }

    /// `invalid response head: reason`.
    public var description: String { "invalid response head: \(reason)" }
}

/// The checks a head must pass before a server sends it: here for the informational responses
/// an application sends itself, and for the final head the gateway (SluiceGateway) builds.
package enum ResponseHead {
    /// Why an informational response may not be sent, or `nil` when it may (Spec RESP-12): its
    /// status must be 102...199 — 101 is the server's when it accepts a WebSocket, and 100 the
    /// server's on the first read of the body (BODY-6) — and its fields must be sendable, with no `Content-Length`
    /// (RESP-7). Hop-by-hop fields are the server's to drop, as in a final head.
    package static func problem(withInformational status: Response.Status, headers: Headers) -> InvalidResponseHead? {
        guard status.isInformational, status.code != 100, status.code != 101 else {
            return InvalidResponseHead(reason: "status \(status.code) is not an informational status an application may send, 102...199 (RESP-12)")
        }
        guard !FieldGrammar.containsLineBreakOrNul(status.reasonPhrase) else {
            return InvalidResponseHead(reason: "the reason phrase contains CR, LF or NUL (SEC-2)")
        }
        for field in headers {
            if let invalid = problem(with: field) { return invalid }
            if field.name.equalsIgnoringASCIICase("Content-Length") {
                return InvalidResponseHead(reason: "an informational response carries Content-Length (RESP-7)")
            }
        }
        return nil
    }

    /// Why a field may be in no head: a name that is not a token, CR, LF or NUL in its value
    /// (SEC-2), or the name `Status`, which collides with CGI's status line (RESP-3).
    package static func problem(with field: Headers.Field) -> InvalidResponseHead? {
        guard FieldGrammar.isToken(field.name), !FieldGrammar.containsLineBreakOrNul(field.value) else {
            return InvalidResponseHead(reason: "field \(quoted(field.name)) is malformed or contains CR, LF or NUL (SEC-2)")
        }
        // Compared without lowercasing into new strings: this runs for every field of every response.
        if field.name.equalsIgnoringASCIICase("Status") {
            return InvalidResponseHead(reason: "a Status field collides with CGI's status line (RESP-3)")
        }
        return nil
    }
}
