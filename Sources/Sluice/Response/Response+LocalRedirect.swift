// A local redirect: the server answers the request for another path (RFC 3875 section 6.2.2).

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
    package static func isLocalRedirect(status: Status, headers: Headers) -> Bool {
        status.code == 200 && headers.count == 1 && headers.fields[0].name.equalsIgnoringASCIICase("Location")
            && headers.fields[0].value.startsWithSlash
    }
}
