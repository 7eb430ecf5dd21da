// The close frame of a WebSocket: a status code and a reason.

/// Why a WebSocket closed: the status code and reason of a close frame (RFC 6455 section 7.4).
///
/// ```swift
/// await socket.close(.goingAway)
/// await socket.close(WebSocketClose(code: 4000, reason: "room closed"))
/// ```
public struct WebSocketClose: Sendable, Hashable, CustomStringConvertible {
    /// The status code. A close frame received without one reads as 1005
    /// (``noStatusReceived``), which is never sent.
    public var code: UInt16
    /// Why, in UTF-8: at most 123 bytes (the frame's 125 less the code).
    public var reason: String

    /// A close with a code and an optional reason.
    public init(code: UInt16, reason: String = "") {
        self.code = code
        self.reason = reason
    }

    /// 1000: the purpose of the connection was fulfilled.
    public static let normalClosure = WebSocketClose(code: 1000)
    /// 1001: the endpoint is going away — a server stopping, a browser leaving the page.
    public static let goingAway = WebSocketClose(code: 1001)
    /// 1002: the peer broke the protocol.
    public static let protocolError = WebSocketClose(code: 1002)
    /// 1003: the endpoint cannot accept this kind of data (text or binary).
    public static let unsupportedData = WebSocketClose(code: 1003)
    /// 1005: the close frame carried no code. Reported, never sent.
    public static let noStatusReceived = WebSocketClose(code: 1005)
    /// 1007: a text message was not valid UTF-8.
    public static let invalidPayload = WebSocketClose(code: 1007)
    /// 1008: a message broke the endpoint's policy.
    public static let policyViolation = WebSocketClose(code: 1008)
    /// 1009: a message was larger than the endpoint accepts.
    public static let messageTooBig = WebSocketClose(code: 1009)
    /// 1011: the server failed while handling the connection.
    public static let internalError = WebSocketClose(code: 1011)
    /// 1013: the server is overloaded; try again later.
    public static let tryAgainLater = WebSocketClose(code: 1013)

    /// The longest reason a close frame can carry, in UTF-8 bytes.
    public static let maximumReasonBytes = 123

    /// Whether `code` may appear in a close frame on the wire (RFC 6455 section 7.4): 1000–1003,
    /// 1007–1014 and 3000–4999. The others are reserved, or (1005, 1006, 1015) only reported.
    public static func isValidOnTheWire(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }

    /// Whether this close can be sent: a valid code and a reason that fits.
    public var isSendable: Bool {
        Self.isValidOnTheWire(code) && reason.utf8.count <= Self.maximumReasonBytes
    }

    /// This close as a server puts it on the wire (Spec WS-9): a code that may not be sent
    /// becomes 1011, a reason over 123 bytes is cut at a character boundary.
    public var sendable: WebSocketClose {
        var sendable = self
        if !Self.isValidOnTheWire(code) { sendable.code = Self.internalError.code }
        while sendable.reason.utf8.count > Self.maximumReasonBytes { sendable.reason.removeLast() }
        return sendable
    }

    /// `1000`, or `1000 "reason"`.
    public var description: String {
        reason.isEmpty ? "\(code)" : "\(code) \(reason.debugDescription)"
    }
}
