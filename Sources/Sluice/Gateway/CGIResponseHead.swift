// The CGI response header block (RFC 3875 section 6), written by CGI and FastCGI adapters.

/// Serialises a response head the way a CGI program or FastCGI responder sends it.
public enum CGIResponseHead {
    /// The header block: a `Status:` line, the header fields, and the empty line (Spec CGI-10).
    ///
    /// A local redirect (``Response/localRedirect(to:)``) is written as a lone `Location:`
    /// field with no `Status:` line, so the server re-runs the request for that path
    /// (RFC 3875 section 6.2.2).
    public static func bytes(status: Response.Status, headers: Headers) -> [UInt8] {
        // Sized first and written into one buffer: a growing array reallocates as it goes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount(status: status, headers: headers))
        write(status: status, headers: headers) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The length of the header block ``bytes(status:headers:)`` returns.
    public static func byteCount(status: Response.Status, headers: Headers) -> Int {
        var count = 2
        if hasStatusLine(status, headers) {
            count += "Status: ".utf8.count + String(status.code).utf8.count + 1 + status.reasonPhrase.utf8.count + 2
        }
        for field in headers.fields {
            count += field.name.utf8.count + 2 + field.value.utf8.count + 2
        }
        return count
    }

    /// Hands the header block to `sink` piece by piece, in order, copying nothing: a FastCGI
    /// responder writes the pieces straight into its connection's buffer.
    public static func write(status: Response.Status, headers: Headers, to sink: (UnsafeRawBufferPointer) -> Void) {
        if hasStatusLine(status, headers) {
            write(literal: "Status: ", to: sink)
            // A short string: stored inline, no allocation.
            write(String(status.code), to: sink)
            write(literal: " ", to: sink)
            write(status.reasonPhrase, to: sink)
            write(literal: "\r\n", to: sink)
        }
        headers.fields.withUnsafeBufferPointer { fields in
            for index in fields.indices {
                write(fields[index].name, to: sink)
                write(literal: ": ", to: sink)
                write(fields[index].value, to: sink)
                write(literal: "\r\n", to: sink)
            }
        }
        write(literal: "\r\n", to: sink)
    }

    /// Whether the block starts with a `Status:` line: all but a local redirect's do.
    private static func hasStatusLine(_ status: Response.Status, _ headers: Headers) -> Bool {
        !Response.isLocalRedirect(status: status, headers: headers)
    }

    /// Hands a literal's UTF-8 bytes to `sink`.
    private static func write(literal: StaticString, to sink: (UnsafeRawBufferPointer) -> Void) {
        sink(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Hands a string's UTF-8 bytes to `sink`.
    private static func write(_ text: String, to sink: (UnsafeRawBufferPointer) -> Void) {
        text.withBorrowedUTF8 { sink(UnsafeRawBufferPointer($0)) }
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
            && headers.fields[0].value.startsWithSlash
    }
}
