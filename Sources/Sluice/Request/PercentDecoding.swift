// Percent-decoding of request paths (RFC 3986 section 2.1).

/// Decodes `%XX` escapes in a path or path segment into bytes, then into a string.
///
/// Malformed escapes (`%` not followed by two hex digits) stay as they are. The bytes are read
/// as UTF-8; bytes that are not valid UTF-8 become U+FFFD, and ``Request/target`` keeps the
/// original (Spec REQ-4).
public func percentDecoded(_ text: some StringProtocol) -> String {
    guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
    return String(decoding: percentDecodedBytes(text.utf8), as: UTF8.self)
}

/// The bytes `%XX` escapes in `encoded` stand for, every other byte as it is; a malformed
/// escape stays as it is.
package func percentDecodedBytes(_ encoded: some Collection<UInt8>) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(encoded.count)
    var index = encoded.startIndex
    while index != encoded.endIndex {
        let byte = encoded[index]
        encoded.formIndex(after: &index)
        guard byte == UInt8(ascii: "%"), index != encoded.endIndex else {
            bytes.append(byte)
            continue
        }
        let second = encoded.index(after: index)
        guard second != encoded.endIndex, let high = hexValue(encoded[index]), let low = hexValue(encoded[second]) else {
            // Not an escape: the `%` stands for itself, and what follows is read again.
            bytes.append(byte)
            continue
        }
        bytes.append(high << 4 | low)
        index = encoded.index(after: second)
    }
    return bytes
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
