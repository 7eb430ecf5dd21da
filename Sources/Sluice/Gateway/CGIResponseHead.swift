// The CGI response header block (RFC 3875 section 6), written by CGI and FastCGI adapters.

/// Serialises a response head the way a CGI program or FastCGI responder sends it.
public enum CGIResponseHead {
    /// The header block: a `Status:` line, the header fields, and the empty line (Spec CGI-10).
    ///
    /// A local redirect (``Response/localRedirect(to:)``) is written as a lone `Location:`
    /// field with no `Status:` line, so the server re-runs the request for that path
    /// (RFC 3875 section 6.2.2).
    public static func bytes(status: Response.Status, headers: Headers) -> [UInt8] {
        var text = ""
        if !Response.isLocalRedirect(status: status, headers: headers) {
            text += "Status: \(status.code) \(status.reasonPhrase)\r\n"
        }
        for field in headers {
            text += "\(field.name): \(field.value)\r\n"
        }
        text += "\r\n"
        return Array(text.utf8)
    }
}

extension Response {
    /// A local redirect: the server answers the request as if the client had asked for `path`
    /// (RFC 3875 section 6.2.2; Spec CGI-11). `path` must be absolute, like `/other?x=1`.
    public static func localRedirect(to path: String) -> Response {
        Response(status: .ok, headers: ["Location": path], body: .empty)
    }

    /// Whether this response is a local redirect (``localRedirect(to:)``), which a server
    /// performs itself rather than send (Spec CGI-11, HTTP-5).
    public var isLocalRedirect: Bool {
        Response.isLocalRedirect(status: status, headers: headers)
    }

    /// Whether a head is a local redirect: status 200 and a single field, `Location`, holding an absolute path.
    static func isLocalRedirect(status: Status, headers: Headers) -> Bool {
        status.code == 200 && headers.count == 1 && headers.fields[0].name.equalsIgnoringASCIICase("Location")
            && headers.fields[0].value.hasPrefix("/")
    }
}
