// The protocols between a streaming body and the wire.

/// Where a response body's bytes go. A server hands one to the body's producer.
///
/// Writes suspend while the client is slow to read (backpressure) and throw
/// ``ClientDisconnected`` once it has gone (Spec LIFE-4).
public protocol ResponseBodyWriter: Sendable {
    /// Sends body bytes, in order.
    func write(_ bytes: [UInt8]) async throws
    /// Asks the server to pass everything written so far on to the client now (Spec RESP-9).
    func flush() async throws
    /// Ends the body, with trailer fields if any (dropped where the server cannot send them).
    /// Nothing may be written after it (Spec RESP-10).
    func finish(trailers: Headers?) async throws
}

extension ResponseBodyWriter {
    /// Sends the text's UTF-8 bytes.
    public func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }

    /// Ends the body without trailers.
    public func finish() async throws {
        try await finish(trailers: nil)
    }
}

/// What an adapter implements to put a response on its wire: the head, then the body.
///
/// The gateway (`Gateway.respond(to:with:through:)` in `SluiceGateway`) calls ``writeHead(status:headers:)``
/// once, then the body methods, so adapters contain only their wire's framing.
public protocol ResponseWriter: ResponseBodyWriter {
    /// Sends an informational (1xx) response before the final one. Adapters that cannot send
    /// one do nothing (``ServerCapabilities/supportsInformationalResponses``).
    func writeInformational(status: Response.Status, headers: Headers) async throws
    /// Sends the final status and header fields. Called exactly once, before any body byte.
    func writeHead(status: Response.Status, headers: Headers) async throws
    /// Sends a whole response whose body is in hand — the head, `body` and the body's end —
    /// in as few writes as the wire allows, or returns `false` having sent nothing.
    ///
    /// The gateway tries this first for a body of bytes (``ResponseBody/init(bytes:)``, text)
    /// whose length matches the head's `Content-Length`; `body` is empty for HEAD and for
    /// statuses without a body. On `false` it calls ``writeHead(status:headers:)``,
    /// ``ResponseBodyWriter/write(_:)`` and ``ResponseBodyWriter/finish(trailers:)`` instead.
    /// An adapter that implements it either sends the whole response or throws having sent
    /// nothing, so that ``Completion/status`` stays exact. The default returns `false`.
    func writeWholeResponse(status: Response.Status, headers: Headers, body: [UInt8]) async throws -> Bool
    /// Completes a WebSocket handshake: sends `101 Switching Protocols` with `headers` and the
    /// fields the handshake needs (`Upgrade`, `Connection`, `Sec-WebSocket-Accept`, and
    /// `Sec-WebSocket-Protocol` when `subprotocol` is not `nil`), then returns the transport
    /// the session talks through. Called at most once, instead of
    /// ``writeHead(status:headers:)``, and only where ``ServerCapabilities/supportsWebSocket``
    /// is true. The default returns `nil` having sent nothing: the gateway then answers 501
    /// (Spec WS-3, WS-4).
    func acceptWebSocket(_ handshake: WebSocketHandshake, subprotocol: String?, headers: Headers) async throws -> (any WebSocketTransport)?
}

extension ResponseWriter {
    /// Drops informational responses: the default for adapters that cannot send them.
    public func writeInformational(status: Response.Status, headers: Headers) async throws {}

    /// Returns `false`: by default the gateway writes a response piece by piece.
    public func writeWholeResponse(status: Response.Status, headers: Headers, body: [UInt8]) async throws -> Bool {
        false
    }

    /// Returns `nil`: by default an adapter carries no WebSocket.
    public func acceptWebSocket(_ handshake: WebSocketHandshake, subprotocol: String?, headers: Headers) async throws -> (any WebSocketTransport)? {
        nil
    }
}
