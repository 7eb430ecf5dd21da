// Percent-decoding of request paths (RFC 3986 section 2.1).

/// Decodes `%XX` escapes in a path or path segment into bytes, then into a string.
///
/// Malformed escapes (`%` not followed by two hex digits) stay as they are. The bytes are read
/// as UTF-8; bytes that are not valid UTF-8 become U+FFFD, and ``Request/target`` keeps the
/// original (Spec REQ-4).
public func percentDecoded(_ text: some StringProtocol) -> String {
    guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var input = text.utf8.makeIterator()
    var pending: [UInt8] = []
    while let byte = pending.isEmpty ? input.next() : pending.removeFirst() {
        guard byte == UInt8(ascii: "%") else {
            bytes.append(byte)
            continue
        }
        guard let high = input.next() else {
            bytes.append(byte)
            break
        }
        guard let low = input.next() else {
            bytes += [byte, high]
            break
        }
        if let highValue = hexValue(high), let lowValue = hexValue(low) {
            bytes.append(highValue << 4 | lowValue)
        } else {
            bytes.append(byte)
            pending = [high, low]
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// The value of an ASCII hex digit, or `nil`.
private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
