// One WebSocket message, as an application receives and sends it.

/// A message on a WebSocket (RFC 6455 section 5.6, 5.5.2, 5.5.3): text or binary data, or a
/// ping or pong control message.
///
/// Messages are whole: the server joins a client's fragments before it delivers them and sends
/// each message as one frame (Spec WS-6). A ping from the client is answered with a pong by the
/// server before the application sees it; a ping or pong the application sends carries at most
/// 125 bytes (Spec WS-9).
public enum WebSocketMessage: Sendable, Hashable {
    /// A text message: UTF-8 on the wire.
    case text(String)
    /// A binary message.
    case binary([UInt8])
    /// A ping, with its payload (at most 125 bytes).
    case ping([UInt8])
    /// A pong, with its payload (at most 125 bytes).
    case pong([UInt8])

    /// The most payload bytes a ping or pong may carry (RFC 6455 section 5.5).
    public static let maximumControlPayload = 125

    /// Whether it is a data message: text or binary.
    public var isData: Bool {
        switch self {
        case .text, .binary: true
        case .ping, .pong: false
        }
    }

    /// How many payload bytes it carries on the wire.
    public var payloadCount: Int {
        switch self {
        case let .text(text): text.utf8.count
        case let .binary(bytes), let .ping(bytes), let .pong(bytes): bytes.count
        }
    }
}
