// Where a standalone server accepts connections.

/// A socket to listen on.
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// A TCP address: an IPv4 or IPv6 host (`127.0.0.1`, `::1`, `0.0.0.0`, `::`) and a port;
    /// port 0 picks a free one.
    case tcp(host: String, port: Int)
    /// A unix domain socket at a path; a stale socket file there is replaced.
    case unixSocket(path: String)
    /// Every listening socket systemd passed, from descriptor 3 on (socket activation:
    /// `LISTEN_FDS` and `LISTEN_PID` in the environment); the application is served on each.
    case systemdSocket
    /// The sockets systemd passed whose name in `LISTEN_FDNAMES` (the socket unit's
    /// `FileDescriptorName=`) is `name`; at least one must have it.
    case systemdSockets(named: String)

    /// `http://host:port`, `unix:path`, `systemd sockets` or `systemd sockets named NAME`.
    public var description: String {
        switch self {
        case let .tcp(host, port): host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
        case let .unixSocket(path): "unix:\(path)"
        case .systemdSocket: "systemd sockets"
        case let .systemdSockets(name): "systemd sockets named \(name)"
        }
    }
}
