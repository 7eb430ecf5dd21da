// The head a server may put on the wire for a response, checked once for every adapter.

/// Why a response's head cannot be sent as the application returned it.
public struct InvalidResponseHead: Error, Hashable, CustomStringConvertible {
    /// What is wrong with the head, in one sentence.
    public var reason: String

    /// `invalid response head: reason`.
    public var description: String { "invalid response head: \(reason)" }
}

/// Builds the status and fields a server sends for a response.
enum ResponseHead {
    /// The fields to send, taken out of `response`, or why the head must not be sent (Spec
    /// RESP-2, RESP-3, RESP-4, SEC-2).
    ///
    /// Hop-by-hop fields are removed, since framing is the server's; `Content-Length` is added
    /// when the body's length is known (Spec RESP-5). A status outside 200...599, a reason phrase
    /// or field with CR, LF or NUL, a field name that is not a token, a `Status` field, or a
    /// `Content-Length` that is not one run of digits makes the head unsendable.
    ///
    /// The fields are moved, not copied: a response's own list, when nothing has to be removed
    /// from it, becomes the head with no allocation, `Content-Length` appended in its spare room.
    static func fields(taking response: inout Response) -> Result<Headers, InvalidResponseHead> {
        let status = response.status
        guard (200...599).contains(status.code) else {
            return .failure(InvalidResponseHead(reason: "status \(status.code) is not a final status (RESP-2)"))
        }
        guard !FieldGrammar.containsLineBreakOrNul(status.reasonPhrase) else {
            return .failure(InvalidResponseHead(reason: "the reason phrase contains CR, LF or NUL (SEC-2)"))
        }
        var fields = response.headers
        response.headers = Headers()
        var contentLength: String?
        var dropsFields = false
        for field in fields {
            if let invalid = problem(with: field) { return .failure(invalid) }
            if FieldGrammar.isHopByHop(field.name) {
                dropsFields = true
            } else if field.name.equalsIgnoringASCIICase("Content-Length") {
                guard FieldGrammar.isDigits(field.value), contentLength == nil || contentLength == field.value else {
                    return .failure(InvalidResponseHead(reason: "Content-Length must be one run of digits (RESP-4)"))
                }
                // A repeat of the same value is sent once.
                dropsFields = dropsFields || contentLength != nil
                contentLength = field.value
            }
        }
        if dropsFields {
            fields = sendable(fields)
        }
        if status.allowsBody, contentLength == nil, let length = response.body.length,
           !Response.isLocalRedirect(status: status, headers: fields)
        {
            fields.append(name: "Content-Length", value: String(length))
        }
        return .success(fields)
    }

    /// Why an informational response may not be sent, or `nil` when it may (Spec RESP-12): its
    /// status must be 102...199 — 101 would switch protocols, which Sluice 1.0 has not, and 100
    /// is the server's (BODY-6) — and its fields must be sendable, with no `Content-Length`
    /// (RESP-7). Hop-by-hop fields are the server's to drop, as in a final head.
    static func problem(withInformational status: Response.Status, headers: Headers) -> InvalidResponseHead? {
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
    private static func problem(with field: Headers.Field) -> InvalidResponseHead? {
        guard FieldGrammar.isToken(field.name), !FieldGrammar.containsLineBreakOrNul(field.value) else {
            return InvalidResponseHead(reason: "field \(quoted(field.name)) is malformed or contains CR, LF or NUL (SEC-2)")
        }
        // Compared without lowercasing into new strings: this runs for every field of every response.
        if field.name.equalsIgnoringASCIICase("Status") {
            return InvalidResponseHead(reason: "a Status field collides with CGI's status line (RESP-3)")
        }
        return nil
    }

    /// The fields without hop-by-hop ones and with `Content-Length` once, for a valid list.
    private static func sendable(_ fields: Headers) -> Headers {
        var kept = Headers()
        kept.reserveCapacity(fields.count)
        var hasContentLength = false
        for field in fields where !FieldGrammar.isHopByHop(field.name) {
            if field.name.equalsIgnoringASCIICase("Content-Length") {
                if hasContentLength { continue }
                hasContentLength = true
            }
            kept.append(name: field.name, value: field.value)
        }
        return kept
    }
}
