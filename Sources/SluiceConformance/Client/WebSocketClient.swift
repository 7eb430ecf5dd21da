// A WebSocket the suite speaks byte by byte (RFC 6455): its own handshake, masked frames out and
// the server's frames in, with no library between the suite and the wire.

/// A frame as the server sent it.
struct WebSocketFrame: Equatable {
    let fin: Bool
    let opcode: UInt8
    let payload: [UInt8]

    static let text: UInt8 = 0x1
    static let binary: UInt8 = 0x2
    static let close: UInt8 = 0x8
    static let ping: UInt8 = 0x9
    static let pong: UInt8 = 0xA

    /// The code of a close frame, if it has one.
    var closeCode: UInt16? {
        opcode == Self.close && payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
    }

    /// The payload as UTF-8 text; for a close frame, its reason.
    var text: String {
        String(decoding: opcode == Self.close ? Array(payload.dropFirst(2)) : payload, as: UTF8.self)
    }
}

/// The suite's end of a WebSocket whose handshake it sent over a ``Connection``.
final class WebSocketClient {
    /// RFC 6455's sample key (section 1.3) and the accept value it must get: no SHA-1 needed.
    static let sampleKey = "dGhlIHNhbXBsZSBub25jZQ=="
    static let sampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

    private let connection: Connection
    private var buffer: [UInt8]

    /// The WebSocket on `connection`, whose `101` was just read.
    init(connection: Connection) {
        self.connection = connection
        buffer = connection.responses.takeUnread()
    }

    /// Sends a frame, masked unless `masked` is false.
    func send(_ opcode: UInt8, _ payload: [UInt8] = [], fin: Bool = true, masked: Bool = true) throws {
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        switch payload.count {
        case ..<126: bytes.append(maskBit | UInt8(payload.count))
        case ..<65536: bytes += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: bytes += [maskBit | 127] + (0..<8).reversed().map { UInt8(truncatingIfNeeded: payload.count >> ($0 * 8)) }
        }
        bytes += masked ? mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] } : payload
        try connection.write(bytes)
    }

    /// Sends a text frame.
    func send(text: String, fin: Bool = true) throws {
        try send(WebSocketFrame.text, Array(text.utf8), fin: fin)
    }

    /// Sends a close frame with `code`.
    func send(close code: UInt16) throws {
        try send(WebSocketFrame.close, [UInt8(code >> 8), UInt8(code & 0xFF)])
    }

    /// The server's next frame, or `nil` once it closed the connection. Throws on a server
    /// frame that is masked or malformed, and when nothing arrives in time.
    func receive() throws -> WebSocketFrame? {
        while true {
            if let frame = try parseFrame() { return frame }
            guard let more = try connection.receive() else { return nil }
            buffer += more
        }
    }

    /// The server's next message, its fragments joined; control frames before it are skipped.
    func receiveMessage() throws -> WebSocketFrame? {
        var first: WebSocketFrame?
        var payload: [UInt8] = []
        while let frame = try receive() {
            if frame.opcode >= 0x8 {
                if frame.opcode == WebSocketFrame.close { return frame }
                continue
            }
            first = first ?? frame
            payload += frame.payload
            if frame.fin, let first { return WebSocketFrame(fin: true, opcode: first.opcode, payload: payload) }
        }
        return nil
    }

    /// Reads frames until the server's close; returns it, or `nil` if the connection ended first.
    func receiveClose() throws -> WebSocketFrame? {
        while let frame = try receive() {
            if frame.opcode == WebSocketFrame.close { return frame }
        }
        return nil
    }

    /// Whether the server closes the connection within `limit`.
    func closesWithin(_ limit: Duration) -> Bool {
        connection.closesWithin(limit)
    }

    private func parseFrame() throws -> WebSocketFrame? {
        guard buffer.count >= 2 else { return nil }
        guard buffer[1] & 0x80 == 0 else { throw CaseFailure(description: "the server sent a masked frame") }
        var length = Int(buffer[1] & 0x7F)
        var start = 2
        if length == 126 {
            guard buffer.count >= 4 else { return nil }
            length = Int(buffer[2]) << 8 | Int(buffer[3])
            start = 4
        } else if length == 127 {
            guard buffer.count >= 10 else { return nil }
            length = buffer[2..<10].reduce(0) { $0 << 8 | Int($1) }
            start = 10
        }
        guard buffer.count >= start + length else { return nil }
        let frame = WebSocketFrame(fin: buffer[0] & 0x80 != 0, opcode: buffer[0] & 0x0F, payload: Array(buffer[start..<start + length]))
        guard buffer[0] & 0x70 == 0 else { throw CaseFailure(description: "the server set reserved bits without an extension") }
        buffer.removeFirst(start + length)
        return frame
    }
}
