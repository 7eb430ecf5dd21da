// WebSocket frames as bytes, written by hand: what a client sends (masked, or broken on purpose)
// and what the server's bytes hold, for tests that drive the protocol frame by frame.

/// Frames on the wire (RFC 6455 section 5.2).
enum WebSocketWire {
    /// A frame as a client sends it: masked with `mask` (none when `nil`), FIN and the reserved
    /// bits as given.
    static func frame(
        _ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, reservedBits: UInt8 = 0, mask: [UInt8]? = [0x37, 0xFA, 0x21, 0x3D]
    ) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | reservedBits << 4 | opcode]
        let maskBit: UInt8 = mask == nil ? 0 : 0x80
        switch payload.count {
        case ..<126: bytes.append(maskBit | UInt8(payload.count))
        case ..<65536: bytes += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: bytes += [maskBit | 127] + (0..<8).reversed().map { UInt8(truncatingIfNeeded: payload.count >> ($0 * 8)) }
        }
        guard let mask else { return bytes + payload }
        return bytes + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }

    static func text(_ text: String, fin: Bool = true) -> [UInt8] { frame(0x1, Array(text.utf8), fin: fin) }
    static func binary(_ bytes: [UInt8], fin: Bool = true) -> [UInt8] { frame(0x2, bytes, fin: fin) }
    static func continuation(_ bytes: [UInt8], fin: Bool = true) -> [UInt8] { frame(0x0, bytes, fin: fin) }
    static func ping(_ bytes: [UInt8] = []) -> [UInt8] { frame(0x9, bytes) }
    static func close(_ code: UInt16?, _ reason: String = "") -> [UInt8] {
        frame(0x8, code.map { [UInt8($0 >> 8), UInt8($0 & 0xFF)] + Array(reason.utf8) } ?? [])
    }

    /// A frame as the server sent it.
    struct ServerFrame: Equatable, CustomStringConvertible {
        var fin: Bool
        var opcode: UInt8
        var payload: [UInt8]

        /// The close code of a close frame.
        var closeCode: UInt16? {
            opcode == 0x8 && payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
        }

        var description: String {
            let kind = [0x1: "text", 0x2: "binary", 0x8: "close", 0x9: "ping", 0xA: "pong"][Int(opcode)] ?? "opcode \(opcode)"
            return opcode == 0x1
                ? "text \(String(decoding: payload, as: UTF8.self).debugDescription)"
                : opcode == 0x8 ? "close \(closeCode.map(String.init) ?? "none")" : "\(kind) \(payload)"
        }
    }

    /// The server's frames in `bytes`, which must hold whole unmasked frames only.
    static func serverFrames(_ bytes: [UInt8]) -> [ServerFrame] {
        var frames: [ServerFrame] = []
        var index = 0
        while index + 2 <= bytes.count {
            let fin = bytes[index] & 0x80 != 0
            let opcode = bytes[index] & 0x0F
            var length = Int(bytes[index + 1] & 0x7F)
            index += 2
            if length == 126 {
                length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
                index += 2
            } else if length == 127 {
                length = bytes[index..<index + 8].reduce(0) { $0 << 8 | Int($1) }
                index += 8
            }
            frames.append(ServerFrame(fin: fin, opcode: opcode, payload: Array(bytes[index..<min(index + length, bytes.count)])))
            index += length
        }
        return frames
    }

    /// A handshake request for `path`.
    static func handshake(_ path: String = "/", extra: String = "") -> String {
        "GET \(path) HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n\(extra)\r\n"
    }

    /// The 101 the handshake gets (RFC 6455 section 1.3's example), without `Date`.
    static let switchingProtocols =
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
}
