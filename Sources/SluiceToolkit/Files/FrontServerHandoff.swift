// Handing a file to the front server to send: nginx's X-Accel-Redirect, X-Sendfile.

/// How ``StaticFiles`` lets the front server send a file instead of sending the bytes itself.
///
/// The application still decides (path checks, authorisation, 404); the front server then
/// reads the file with its own `sendfile`, conditional requests and ranges. Each needs the
/// front server configured for it (Docs/toolkit.md): without that, the client gets an empty
/// body.
public enum FrontServerHandoff: Sendable, Hashable {
    /// nginx: `X-Accel-Redirect: prefix/relative/path`, for an `internal` location that maps
    /// `prefix` to the same directory as the root (`location /protected/ { internal; alias /srv/files/; }`).
    case xAccelRedirect(prefix: String)
    /// Apache with mod_xsendfile and lighttpd (`"x-sendfile" => "enable"`):
    /// `X-Sendfile: /absolute/path`.
    case xSendfile

    /// The header field that hands over the file at `absolutePath`, `relativePath` below the root.
    func field(absolutePath: String, relativePath: String) -> (name: String, value: String) {
        switch self {
        case let .xAccelRedirect(prefix):
            ("X-Accel-Redirect", URLPath.encode((prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix) + "/" + relativePath))
        case .xSendfile:
            ("X-Sendfile", absolutePath)
        }
    }
}
