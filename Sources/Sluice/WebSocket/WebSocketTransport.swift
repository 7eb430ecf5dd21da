// What an adapter implements to carry a WebSocket.

/// The wire under a ``WebSocket``: an adapter that supports WebSocket
/// (``ServerCapabilities/supportsWebSocket``) returns one from
/// ``ResponseWriter/acceptWebSocket(_:subprotocol:headers:)`` once the handshake is complete.
///
/// The adapter owns the protocol — framing, fragments, UTF-8, pings, the closing handshake and
/// its timeout — and hands the application whole messages (Spec WS-6 to WS-10).
public protocol WebSocketTransport: Sendable {
    /// The client's next message; `nil` once the closing handshake has begun, from either side.
    /// Called by one task at a time. Reading is the backpressure: an adapter stops reading from
    /// the client while the application leaves messages unread (Spec WS-7).
    ///
    /// Throws ``WebSocketError/protocolViolation(_:)`` once the server failed the connection for
    /// the client's fault, and ``ClientDisconnected`` when the connection dropped without a
    /// closing handshake.
    func receive() async throws -> WebSocketMessage?

    /// Sends one message whole, in the order the calls arrive; may be called from several tasks
    /// at once. Suspends while the client does not read. Throws ``WebSocketError/closed`` once
    /// the closing handshake has begun, and ``ClientDisconnected`` once the connection is gone.
    func send(_ message: WebSocketMessage) async throws

    /// Begins the closing handshake with `close` — as ``WebSocketClose/sendable`` makes it —
    /// unless it has begun already, and waits until it completes or times out and the
    /// connection is closed. Returns how the connection
    /// ended: `nil` after a completed closing handshake, else ``ClientDisconnected`` or the
    /// ``WebSocketError/protocolViolation(_:)`` the server closed with.
    func close(_ close: WebSocketClose) async -> (any Error)?

    /// The close frame the client sent, once one arrived.
    var closeReceived: WebSocketClose? { get }
}
