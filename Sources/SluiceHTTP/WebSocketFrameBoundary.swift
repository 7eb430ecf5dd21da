// Where a client's frames begin and end in the bytes it sends, so that a frame that arrives too
// slowly can be told from a connection that is merely quiet (Spec WS-15).

/// Follows the frame boundaries of a WebSocket byte stream by their headers alone (RFC 6455
/// section 5.2): it checks nothing — the frame decoder does — and only says whether the bytes so
/// far end inside a frame.
struct WebSocketFrameBoundary {
    /// The header bytes of the frame in progress, while its header is incomplete.
    private var header: [UInt8] = []
    /// Payload bytes still due for the frame in progress, once its header is complete.
    private var payloadDue: UInt64 = 0

    /// Whether the bytes so far end inside a frame: some of it arrived, not all.
    var isInsideFrame: Bool { !header.isEmpty || payloadDue > 0 }

    /// Follows the next bytes the client sent; returns whether a frame ended in them.
    @discardableResult
    mutating func consume(_ bytes: some Collection<UInt8>) -> Bool {
        var rest = bytes[...]
        var endedFrame = false
        while !rest.isEmpty {
            if payloadDue > 0 {
                let skipped = Int(min(payloadDue, UInt64(rest.count)))
                rest = rest.dropFirst(skipped)
                payloadDue -= UInt64(skipped)
                endedFrame = endedFrame || payloadDue == 0
                continue
            }
            header.append(rest.removeFirst())
            if let length = Self.frameLength(header) {
                header.removeAll(keepingCapacity: true)
                payloadDue = length
                endedFrame = endedFrame || length == 0
            }
        }
        return endedFrame
    }

    /// The payload length a frame's header gives, once `header` holds it whole: two bytes, then
    /// 2 or 8 bytes of extended length, then 4 of mask when the mask bit is set.
    private static func frameLength(_ header: [UInt8]) -> UInt64? {
        guard header.count >= 2 else { return nil }
        let lengthField = header[1] & 0x7F
        let lengthBytes = lengthField == 127 ? 8 : lengthField == 126 ? 2 : 0
        let maskBytes = header[1] & 0x80 != 0 ? 4 : 0
        guard header.count == 2 + lengthBytes + maskBytes else { return nil }
        guard lengthBytes > 0 else { return UInt64(lengthField) }
        return header[2..<(2 + lengthBytes)].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
