// Where a standalone server accepts connections.

/// A socket to listen on.
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// A TCP address: an IPv4 or IPv6 host (`127.0.0.1`, `::1`, `0.0.0.0`, `::`) and a port;
    /// port 0 picks a free one.
    case tcp(host: String, port: Int)
    /// A unix domain socket at a path; a stale socket file there is replaced.
    case unixSocket(path: String)
    /// The listening socket systemd passed as descriptor 3 (socket activation:
    /// `LISTEN_FDS` and `LISTEN_PID` in the environment).
    case systemdSocket

    /// `http://host:port`, `unix:path` or `systemd socket (fd 3)`.
    public var description: String {
        switch self {
        case let .tcp(host, port): host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
        case let .unixSocket(path): "unix:\(path)"
        case .systemdSocket: "systemd socket (fd 3)"
        }
    }
}
