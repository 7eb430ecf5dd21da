// The CGI response header block (RFC 3875 section 6), written by CGI and FastCGI adapters.

/// Serialises a response head the way a CGI program or FastCGI responder sends it.
public enum CGIResponseHead {
    /// The header block: a `Status:` line, the header fields, and the empty line (Spec CGI-10).
    ///
    /// A local redirect (``Response/localRedirect(to:)``) is written as a lone `Location:`
    /// field with no `Status:` line, so the server re-runs the request for that path
    /// (RFC 3875 section 6.2.2).
    public static func bytes(status: Response.Status, headers: Headers) -> [UInt8] {
        // Sized first and written into one buffer: a FastCGI responder writes a head for
        // every request, and a growing string reallocates as it goes.
        let code = String(status.code)
        let statusLine = !Response.isLocalRedirect(status: status, headers: headers)
        var count = 2
        if statusLine {
            count += "Status: ".utf8.count + code.utf8.count + 1 + status.reasonPhrase.utf8.count + 2
        }
        for field in headers {
            count += field.name.utf8.count + 2 + field.value.utf8.count + 2
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        if statusLine {
            bytes.append(contentsOf: "Status: ".utf8)
            bytes.append(contentsOf: code.utf8)
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: status.reasonPhrase.utf8)
            bytes.append(contentsOf: "\r\n".utf8)
        }
        for field in headers {
            bytes.append(contentsOf: field.name.utf8)
            bytes.append(contentsOf: ": ".utf8)
            bytes.append(contentsOf: field.value.utf8)
            bytes.append(contentsOf: "\r\n".utf8)
        }
        bytes.append(contentsOf: "\r\n".utf8)
        return bytes
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
