// The head a server puts on the wire for a response, built once for every adapter.

package import Sluice

extension ResponseHead {
    /// The fields to send, taken out of `response`, or why the head must not be sent (Spec
    /// RESP-2, RESP-3, RESP-4, SEC-2).
    ///
    /// Hop-by-hop fields are removed, since framing is the server's — except `Upgrade` and
    /// `Connection` in a 426, which RFC 9110 section 15.5.22 requires; `Content-Length` is added
    /// when the body's length is known (Spec RESP-5). A status outside 200...599 (but the 101 of
    /// a WebSocket acceptance, Spec WS-1), a reason phrase or field with CR, LF or NUL, a field
    /// name that is not a token, a `Status` field, or a `Content-Length` that is not one run of
    /// digits makes the head unsendable.
    ///
    /// The fields are moved, not copied: a response's own list, when nothing has to be removed
    /// from it, becomes the head with no allocation, `Content-Length` appended in its spare room.
    package static func fields(taking response: inout Response) -> Result<Headers, InvalidResponseHead> {
        let status = response.status
        guard (200...599).contains(status.code) || status.code == 101 && response.acceptedWebSocket != nil else {
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
            if FieldGrammar.isHopByHop(field.name), !keepsUpgradeFields(status, field.name) {
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
            fields = sendable(fields, status: status)
        }
        if status.allowsBody, contentLength == nil, let length = response.body.length,
            !Response.isLocalRedirect(status: status, headers: fields)
        {
            fields.append(name: "Content-Length", value: String(length))
        }
        return .success(fields)
    }

    /// The fields without hop-by-hop ones and with `Content-Length` once, for a valid list.
    private static func sendable(_ fields: Headers, status: Response.Status) -> Headers {
        var kept = Headers()
        kept.reserveCapacity(fields.count)
        var hasContentLength = false
        for field in fields where !FieldGrammar.isHopByHop(field.name) || keepsUpgradeFields(status, field.name) {
            if field.name.equalsIgnoringASCIICase("Content-Length") {
                if hasContentLength { continue }
                hasContentLength = true
            }
            kept.append(name: field.name, value: field.value)
        }
        return kept
    }

    /// Whether a hop-by-hop field stays: `Upgrade` and `Connection` in a 426 Upgrade Required,
    /// which must say what to upgrade to (RFC 9110 section 15.5.22; Spec RESP-3).
    private static func keepsUpgradeFields(_ status: Response.Status, _ name: String) -> Bool {
        status.code == 426 && (name.equalsIgnoringASCIICase("Upgrade") || name.equalsIgnoringASCIICase("Connection"))
    }
}
