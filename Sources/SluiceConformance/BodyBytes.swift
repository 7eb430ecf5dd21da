// Bytes the suite sends and expects: the probe's stream pattern and its body digest.

/// The probe's stream pattern (Spec/probe.md §2, `stream`): byte *i* is `a` + (*i* mod 26).
func pattern(_ count: Int, from start: Int = 0) -> [UInt8] {
    (start..<(start + count)).map { UInt8(ascii: "a") + UInt8($0 % 26) }
}

/// FNV-1a 64 of `bytes` as 16 lowercase hex digits, as the probe reports it (`fnv1a64`).
func fnv1a64(_ bytes: [UInt8]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}

/// The chunked coding of `pieces`, with `trailers` after the last chunk.
func chunked(_ pieces: [[UInt8]], trailers: [(String, String)] = []) -> [UInt8] {
    var bytes: [UInt8] = []
    for piece in pieces where !piece.isEmpty {
        bytes += Array("\(String(piece.count, radix: 16))\r\n".utf8) + piece + Array("\r\n".utf8)
    }
    bytes += Array("0\r\n".utf8)
    for (name, value) in trailers { bytes += Array("\(name): \(value)\r\n".utf8) }
    return bytes + Array("\r\n".utf8)
}

extension Connection {
    /// Sends `count` bytes of the pattern in 64 KiB writes, never holding the whole body.
    func writePattern(_ count: Int) throws {
        let piece = pattern(26 * 2521)
        var sent = 0
        while sent < count {
            let size = min(piece.count, count - sent)
            try write(size == piece.count ? piece : Array(piece[..<size]))
            sent += size
        }
    }
}
