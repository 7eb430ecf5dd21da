// How a standalone server listens, and what it allows clients.

public import Sluice

/// Everything an ``HTTPServer`` needs besides the application: where to listen, the limits on
/// what a client may send, the timeouts, and how long a graceful shutdown may take.
public struct HTTPServerConfiguration: Sendable {
    /// Where to accept connections.
    public var address: ListenAddress
    /// The most a client may send (Spec SEC-3).
    public var limits: Limits
    /// How long a client may keep the server waiting (Spec SEC-3).
    public var timeouts: Timeouts
    /// The value of the `Server` header on every response; `nil` sends none.
    public var serverHeader: String?
    /// How long in-flight requests may run on after a shutdown signal before their
    /// connections are closed.
    public var shutdownGracePeriod: Duration
    /// The certificate and key to serve TLS with; `nil` serves cleartext.
    public var tls: TLS?
    /// How HTTP/2 is offered: by ALPN over TLS, and by prior knowledge on cleartext if asked.
    public var http2: HTTP2
    /// Told of each connection opened and closed, and of each request the server refused
    /// itself (a limit broken, a malformed request): metrics (Docs/observability.md).
    public var observer: (any ServerObserver)?

    /// Creates a configuration; the defaults listen on 127.0.0.1:8080 with safe limits, in
    /// cleartext HTTP/1.1.
    public init(
        address: ListenAddress = .tcp(host: "127.0.0.1", port: 8080),
        limits: Limits = Limits(),
        timeouts: Timeouts = Timeouts(),
        serverHeader: String? = "Sluice",
        shutdownGracePeriod: Duration = .seconds(10),
        tls: TLS? = nil,
        http2: HTTP2 = HTTP2(),
        observer: (any ServerObserver)? = nil
    ) {
        self.address = address
        self.limits = limits
        self.timeouts = timeouts
        self.serverHeader = serverHeader
        self.shutdownGracePeriod = shutdownGracePeriod
        self.tls = tls
        self.http2 = http2
        self.observer = observer
    }
}

extension HTTPServerConfiguration {
    /// Bounds on what one request may carry; exceeding one is answered with the status the
    /// Spec names (ERR-3) and the connection is closed.
    public struct Limits: Sendable, Hashable {
        /// The longest request-target, in bytes (414 beyond it).
        public var maxTargetBytes: Int
        /// The most bytes of header field names and values together (431 beyond it).
        public var maxHeaderBytes: Int
        /// The most header fields (431 beyond it).
        public var maxHeaderCount: Int
        /// The largest request body, declared or streamed (413 beyond it).
        public var maxBodyBytes: Int
        /// The most bytes of an unread request body the server reads and discards after the
        /// response, to keep the connection; a longer rest closes the connection instead.
        public var maxDiscardedBodyBytes: Int
        /// The largest WebSocket message a client may send, in payload bytes, in one frame or
        /// in fragments (the WebSocket is closed with 1009 beyond it, Spec WS-8).
        public var maxWebSocketMessageBytes: Int

        /// Creates limits; the defaults are the Spec's (Appendix A).
        public init(
            maxTargetBytes: Int = 8 * 1024,
            maxHeaderBytes: Int = 64 * 1024,
            maxHeaderCount: Int = 100,
            maxBodyBytes: Int = 16 * 1024 * 1024,
            maxDiscardedBodyBytes: Int = 256 * 1024,
            maxWebSocketMessageBytes: Int = 1024 * 1024
        ) {
            self.maxTargetBytes = maxTargetBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyBytes = maxBodyBytes
            self.maxDiscardedBodyBytes = maxDiscardedBodyBytes
            self.maxWebSocketMessageBytes = maxWebSocketMessageBytes
        }

        /// The most bytes the server buffers while a request line and header block arrive:
        /// the target and header limits plus room for the method, version and line ends.
        var maxHeadBlockBytes: Int {
            maxTargetBytes + maxHeaderBytes + 4 * maxHeaderCount + 64
        }
    }

    /// How long the server waits on a client before giving up on it.
    public struct Timeouts: Sendable, Hashable {
        /// How long a kept-alive connection may sit with no request before it is closed.
        public var idle: Duration
        /// How long a client may take to send a whole request line and header block, from its
        /// first byte (slow-loris clients get 408 and the connection is closed).
        public var requestHead: Duration
        /// How long the server waits for the next request-body bytes while the application
        /// wants them (408, or a closed connection once the response started).
        public var bodyRead: Duration
        /// How long one response write — or WebSocket message — may wait for a client that does
        /// not read before the connection is closed (the application sees ``ClientDisconnected``).
        public var responseWrite: Duration
        /// How long the server waits for a client's close frame after sending its own before it
        /// closes the connection (Spec WS-9).
        public var webSocketClose: Duration
        /// How long one WebSocket frame may take to arrive, from the read that brought its first
        /// byte to its last; a client that takes longer is failed with close 1008 (Spec WS-15).
        /// The quiet between frames is not limited.
        public var webSocketFrame: Duration
        /// The longest an application may take over a request, from its call to the response's
        /// end, reading the body included; `nil` (the default) for no limit. Past it the
        /// application's task is cancelled, the client gets 503 with `Connection: close` (or a
        /// cut-off response when the head had gone out), the completion hooks run and the
        /// error log says so (Spec LIFE-6, HTTP-12).
        public var request: Duration?

        /// Creates timeouts; the defaults are the Spec's (Appendix A).
        public init(
            idle: Duration = .seconds(30),
            requestHead: Duration = .seconds(10),
            bodyRead: Duration = .seconds(30),
            responseWrite: Duration = .seconds(30),
            webSocketClose: Duration = .seconds(5),
            webSocketFrame: Duration = .seconds(30),
            request: Duration? = nil
        ) {
            self.idle = idle
            self.requestHead = requestHead
            self.bodyRead = bodyRead
            self.responseWrite = responseWrite
            self.webSocketClose = webSocketClose
            self.webSocketFrame = webSocketFrame
            self.request = request
        }
    }
}
