// From an HTTP/1 request head to the Spec's request fields.

import NIOCore
import NIOHTTP1
import Sluice

/// The addresses of a connection, read once when it opens.
struct ConnectionAddresses {
    /// The peer's IP address; empty on a unix socket (Spec REQ-10).
    var remoteAddress: String
    /// The peer's port; `nil` on a unix socket.
    var remotePort: Int?
    /// The local address, for requests without `Host`.
    var localHost: String
    /// The local port; 80 on a unix socket.
    var localPort: Int

    init(channel: any Channel) {
        remoteAddress = channel.remoteAddress?.ipAddress ?? ""
        remotePort = channel.remoteAddress?.ipAddress == nil ? nil : channel.remoteAddress?.port
        localHost = channel.localAddress?.ipAddress ?? "localhost"
        localPort = channel.localAddress?.port ?? 80
    }
}

extension Request {
    /// The request a head describes (Spec HTTP-1): scriptName empty, pathInfo the decoded
    /// path, serverName and serverPort from `host` (the `Host` field), falling back to the
    /// local address, as `servers` finds them.
    init(
        head: HTTPRequestHead,
        host: String?,
        body: RequestBody,
        addresses: ConnectionAddresses,
        servers: inout ServerOfHost,
        errorLog: ErrorLog
    ) {
        let target = RequestTarget(head.uri)
        let (serverName, serverPort) = servers.server(named: host, addresses: addresses)
        let supportsHTTP11 = head.version.minor >= 1
        self.init(
            method: Method(rawValue: head.method.rawValue),
            target: head.uri,
            scriptName: "",
            pathInfo: target.decodedPath,
            queryString: String(target.query),
            headers: Headers(head.headers.map { Headers.Field(name: $0.name, value: $0.value) }),
            serverName: serverName,
            serverPort: serverPort,
            serverProtocol: supportsHTTP11 ? "HTTP/1.1" : "HTTP/1.0",
            scheme: "http",
            remoteAddress: addresses.remoteAddress,
            remotePort: addresses.remotePort,
            body: body,
            errorLog: errorLog,
            capabilities: ServerCapabilities(
                isConcurrent: true,
                isMultiprocess: false,
                isRunOnce: false,
                streamsRequestBody: true,
                honoursFlush: true,
                supportsTrailers: supportsHTTP11,
                supportsInformationalResponses: supportsHTTP11,
                supportsWebSocket: supportsHTTP11
            )
        )
    }

    /// The host and port of a `Host` value (`name`, `name:port`, `[v6]:port`; the port
    /// defaults to http's 80), or the local address when there is no usable one.
    static func server(named host: String?, addresses: ConnectionAddresses) -> (String, Int) {
        guard let host, !host.isEmpty else { return (addresses.localHost, addresses.localPort) }
        var name = Substring(host)
        var port = 80
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]"), let parsed = Int(host[host.index(after: colon)...]),
            (1...65535).contains(parsed)
        {
            name = host[..<colon]
            port = parsed
        }
        if name.hasPrefix("["), name.hasSuffix("]") {
            name = name.dropFirst().dropLast()
        }
        return name.isEmpty ? (addresses.localHost, port) : (String(name), port)
    }
}

/// The server name and port of a connection's last `Host`, kept because a client sends the
/// same `Host` on every request of a connection: parsing it again costs about 1 % of a hello
/// request's CPU time.
struct ServerOfHost {
    private var last: (host: String?, server: (String, Int))?

    /// ``Request/server(named:addresses:)``, from the last answer when `host` is the same.
    mutating func server(named host: String?, addresses: ConnectionAddresses) -> (String, Int) {
        if let last, last.host == host { return last.server }
        let server = Request.server(named: host, addresses: addresses)
        last = (host, server)
        return server
    }
}
