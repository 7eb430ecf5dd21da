// From an HTTP/1 request head to the Spec's request fields.

import NIOCore
import NIOHTTP1
import Sluice
import SluiceGateway

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

/// What a connection tells every request on it, read once when its protocol is set up: its
/// addresses and, over TLS, its TLS facts. The streams of an HTTP/2 connection share one.
struct ConnectionFacts {
    var addresses: ConnectionAddresses
    /// The connection's TLS facts; `nil` in cleartext.
    var tls: TLSFacts?

    /// `https` over TLS, else `http` (Spec REQ-9).
    var scheme: String { tls == nil ? "http" : "https" }
    /// The port a `Host` without one means: the scheme's.
    var defaultPort: Int { tls == nil ? 80 : 443 }
}

extension Request {
    /// The request a head describes, an HTTP/1 request's or an HTTP/2 stream's (Spec HTTP-1,
    /// H2-1), through the gateway's one mapping (``RequestHead``): scriptName empty, pathInfo
    /// the decoded path, serverName and serverPort from `host` (the `Host` field, or HTTP/2's
    /// `:authority`), falling back to the local address, as `servers` finds them; scheme and
    /// the TLS variables from the connection (HTTP-9).
    init(
        head: HTTPRequestHead,
        host: String?,
        body: RequestBody,
        connection: ConnectionFacts,
        servers: inout ServerOfHost,
        errorLog: ErrorLog
    ) {
        let (serverName, serverPort) = servers.server(named: host, connection: connection)
        let supportsHTTP11 = head.version.isHTTP11OrLater
        let requestHead = RequestHead(
            method: Method(rawValue: head.method.rawValue),
            target: head.uri,
            headers: Self.fields(of: head),
            authority: host,
            serverProtocol: head.version.isHTTP2 ? "HTTP/2.0" : supportsHTTP11 ? "HTTP/1.1" : "HTTP/1.0",
            scheme: connection.scheme
        )
        self.init(
            head: requestHead,
            // The path was checked when the head was accepted (RequestHeadCheck, Spec REQ-15).
            pathInfo: RequestTarget(head.uri).decodedPath,
            serverName: serverName,
            serverPort: serverPort,
            remoteAddress: connection.addresses.remoteAddress,
            remotePort: connection.addresses.remotePort,
            metaVariables: connection.tls?.metaVariables ?? [:],
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
                // Over HTTP/2 a WebSocket needs extended CONNECT (RFC 8441), not offered (Spec H2-1).
                supportsWebSocket: supportsHTTP11 && !head.version.isHTTP2
            )
        )
    }

    /// The header fields of `head`, in order. An HTTP/2 head's `transfer-encoding` is left
    /// out: HTTP/2 forbids the field (RFC 9113 §8.2.2), so the one there is ``HTTP2StreamCodec``'s
    /// note that a body of unknown length follows, not the client's (Spec BODY-7).
    private static func fields(of head: HTTPRequestHead) -> Headers {
        guard head.version.isHTTP2 else { return Headers(head.headers.map { Headers.Field(name: $0.name, value: $0.value) }) }
        return Headers(head.headers.compactMap { $0.name == "transfer-encoding" ? nil : Headers.Field(name: $0.name, value: $0.value) })
    }

    /// The host and port of a `Host` value (``Authority``; the port defaults to the scheme's),
    /// or the local address when there is no usable one.
    static func server(named host: String?, connection: ConnectionFacts) -> (String, Int) {
        let addresses = connection.addresses
        return Authority.server(of: host, defaultPort: connection.defaultPort, local: (addresses.localHost, addresses.localPort))
    }
}

/// The server name and port of a connection's last `Host`, kept because a client sends the
/// same `Host` on every request of a connection: parsing it again costs about 1 % of a hello
/// request's CPU time.
struct ServerOfHost {
    private var last: (host: String?, server: (String, Int))?

    /// ``Request/server(named:connection:)``, from the last answer when `host` is the same.
    mutating func server(named host: String?, connection: ConnectionFacts) -> (String, Int) {
        if let last, last.host == host { return last.server }
        let server = Request.server(named: host, connection: connection)
        last = (host, server)
        return server
    }
}
