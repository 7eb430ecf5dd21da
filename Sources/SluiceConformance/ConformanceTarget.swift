// The server under test: where the probe is reachable, and what the suite should expect of it.

/// A server hosting the probe (`Spec/probe.md`), as the suite reaches it over HTTP/1.1.
public struct ConformanceTarget: Sendable {
    /// The host to connect to: a name or an IP address.
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The path the probe is mounted at, normalised: `""` for the root, else `/x` without a
    /// trailing `/`.
    public var mountPath: String
    /// A name for the server in reports, such as `nginx-fastcgi-tcp`.
    public var serverName: String
    /// Case ID → why the server fails that case. A failing case listed here is reported as a
    /// ``Outcome/deviation``, not a failure.
    public var knownDeviations: [String: String] = [:]
    /// The request body limit the server is configured with, in bytes (`nil`: unlimited).
    /// The default is the Spec's (Appendix A). The large-body case sends this much at most,
    /// and the limit case one byte more.
    public var maxBodyBytes: Int? = 16 * 1024 * 1024
    /// The largest WebSocket message the server is configured to take, in bytes; the default is
    /// the Spec's (Appendix A). The WebSocket limit case sends one byte more.
    public var maxWebSocketMessageBytes = 1024 * 1024
    /// How long the client waits for any one thing — a connection, bytes, a record.
    public var timeout: Duration = .seconds(10)
    /// Whether the large-body case compares the probe's peak memory before and after the
    /// upload (Spec BODY-2). Set it to `false` when the server runs inside a process that does
    /// other work at the same time — a test run, whose other tests' allocations would count as
    /// the server's; the case then checks the bytes only.
    public var comparesMemory = true

    /// A server at `host:port` with the probe mounted at `mountPath`.
    public init(host: String, port: Int, mountPath: String = "", serverName: String = "server") {
        self.host = host
        self.port = port
        self.mountPath = Self.normalised(mountPath)
        self.serverName = serverName
    }

    /// A server given by URL: `http://127.0.0.1:8080/mount` (the path is the mount path; the
    /// port defaults to 80). Throws ``ConformanceTargetError`` for anything else, including
    /// `https`, which the suite's client does not speak.
    public init(url: String, serverName: String = "server") throws {
        guard url.hasPrefix("http://") else { throw ConformanceTargetError(url: url, problem: "the scheme must be http://") }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let path = rest.dropFirst(authority.count).prefix { $0 != "?" && $0 != "#" }
        let host: Substring
        var port = 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw ConformanceTargetError(url: url, problem: "an unclosed [") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let number = Int(after.dropFirst()) else { throw ConformanceTargetError(url: url, problem: "a bad port") }
                port = number
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let number = Int(authority[authority.index(after: colon)...]) else {
                throw ConformanceTargetError(url: url, problem: "a bad port")
            }
            port = number
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw ConformanceTargetError(url: url, problem: "no host") }
        guard (1...65535).contains(port) else { throw ConformanceTargetError(url: url, problem: "a port outside 1...65535") }
        self.init(host: String(host), port: port, mountPath: String(path), serverName: serverName)
    }

    /// The `Host` field the client sends: the host (bracketed if IPv6) and the port.
    var hostField: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private static func normalised(_ path: String) -> String {
        var path = path
        while path.hasSuffix("/") { path.removeLast() }
        if !path.isEmpty, !path.hasPrefix("/") { path = "/" + path }
        return path
    }
}

/// A URL the suite cannot test.
public struct ConformanceTargetError: Error, CustomStringConvertible {
    /// The URL as given.
    public let url: String
    /// What is wrong with it.
    public let problem: String

    /// Says what is wrong.
    public var description: String { "cannot test \(url): \(problem)" }
}
