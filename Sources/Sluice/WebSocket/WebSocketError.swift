// Why a WebSocket read or send failed.

/// Why reading or sending on a ``WebSocket`` failed. A connection that dropped without a
/// closing handshake fails with ``ClientDisconnected`` instead (Spec WS-10).
public enum WebSocketError: Error, Hashable, CustomStringConvertible {
    /// The closing handshake has begun — the application closed, the client's close frame
    /// arrived, or the server is stopping — so nothing more can be sent (Spec WS-9).
    case closed
    /// The client broke the protocol or a limit, and the server failed the connection with
    /// this close (1002, 1007 or 1009; Spec WS-8).
    case protocolViolation(WebSocketClose)
    /// The messages were iterated before: they can be read once (Spec WS-6).
    case alreadyConsumed
    /// The application asked to send what the protocol forbids: a ping or pong of more than
    /// 125 bytes (Spec WS-9).
    case controlPayloadTooLong(Int)

    /// A sentence saying what went wrong.
    public var description: String {
        switch self {
        case .closed: "the WebSocket is closing or closed"
        case let .protocolViolation(close): "the client broke the WebSocket protocol; closed with \(close)"
        case .alreadyConsumed: "the WebSocket's messages were already read; they can be read once"
        case let .controlPayloadTooLong(count): "a ping or pong carries at most 125 bytes, not \(count)"
        }
    }
}
