// Where a FastCGI responder gets its connections.

/// The listening socket a FastCGI responder accepts the front server's connections on; the
/// cases the HTTP server also has (`tcp`, `unixSocket`, `systemdSocket`) are named as its
/// `ListenAddress` names them.
public enum ListenAddress: Sendable, Hashable {
    /// A socket from systemd socket activation (`LISTEN_FDS`, `LISTEN_PID`: descriptor 3) when
    /// there is one, else an inherited socket on descriptor 0 (``inherited``) when descriptor 0
    /// is a listening socket. Without either, the responder reports that it needs an address.
    case automatic
    /// A TCP socket bound to `host:port`. Use `127.0.0.1` to bind the loopback interface only;
    /// an empty host binds every interface.
    case tcp(host: String, port: Int)
    /// A unix socket created at this path (a stale socket file there is replaced), with
    /// ``FastCGIConfiguration/socketMode``.
    case unixSocket(path: String)
    /// The listening socket on descriptor 0: the FastCGI convention of spawn-fcgi, lighttpd's
    /// `bin-path` and Apache's mod_fcgid.
    case inherited
    /// The first socket systemd passed (socket activation): descriptor 3.
    case systemdSocket

    /// Reads an address from text: `HOST:PORT` or `:PORT` (TCP), a path starting with `/`
    /// (unix socket), `fd:0` (inherited), `systemd`, or `auto`. `nil` when it is none of these.
    public init?(parsing text: String) {
        switch text {
        case "auto": self = .automatic
        case "fd:0": self = .inherited
        case "systemd": self = .systemdSocket
        default:
            if text.hasPrefix("/") {
                self = .unixSocket(path: text)
            } else if let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                (1...65535).contains(port)
            {
                self = .tcp(host: String(text[..<colon]), port: port)
            } else {
                return nil
            }
        }
    }
}
