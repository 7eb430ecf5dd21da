// The grammar of header and trailer fields (RFC 9110 section 5), as the gateway and Lint check it.

/// Checks of field names and values: the gateway uses them to refuse unsendable heads,
/// Lint to name the rule an exchange broke.
package enum FieldGrammar {
    /// Whether the text is a non-empty `token` (RFC 9110 section 5.6.2).
    package static func isToken(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(\.isTokenCharacter)
    }

    /// Whether the text holds a byte that would end or split a header line: CR, LF or NUL.
    package static func containsLineBreakOrNul(_ text: some StringProtocol) -> Bool {
        text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }

    /// Whether the text is one or more decimal digits.
    package static func isDigits(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(\.isDecimalDigit)
    }

    /// Whether the text is `HTTP/` and a version, `d.d` or `d` (RFC 9112 section 2.3).
    package static func isHTTPVersion(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.count == 6 || bytes.count == 8, bytes.starts(with: "HTTP/".utf8) else { return false }
        var version = bytes.dropFirst(5).makeIterator()
        guard let major = version.next(), major.isDecimalDigit else { return false }
        guard let dot = version.next() else { return true }
        guard dot == UInt8(ascii: "."), let minor = version.next() else { return false }
        return minor.isDecimalDigit
    }

    /// The field name with ASCII letters lowercased: the key into the sets below.
    package static func lowercased(_ name: String) -> String {
        String(decoding: name.utf8.map(\.asciiLowercased), as: UTF8.self)
    }

    /// Fields that frame a single connection; the server owns them (RFC 9110 section 7.6.1).
    static let hopByHopFields: [String] = ["Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "TE", "Upgrade"]

    /// Whether a field name, in any case, is one of ``hopByHopFields``.
    package static func isHopByHop(_ name: String) -> Bool {
        hopByHopFields.contains { $0.equalsIgnoringASCIICase(name) }
    }

    /// Fields that frame or route a message and so may not travel as trailers (Spec RESP-11).
    static let fieldsForbiddenInTrailers: Set<String> = ["content-length", "transfer-encoding", "host", "content-type", "trailer"]
}

/// The text in double quotes with control characters escaped, so a message shows a stray
/// CR or NUL rather than printing it.
package func quoted(_ text: some StringProtocol) -> String {
    String(reflecting: String(text))
}

/// The text as it is when it holds no control character, else ``quoted(_:)``: a name in a log
/// line stays readable, and cannot split the line.
package func printable(_ text: String) -> String {
    text.utf8.contains(where: \.isControlCharacter) ? quoted(text) : text
}

extension UInt8 {
    /// Whether the byte is an ASCII decimal digit, `0` to `9`.
    package var isDecimalDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }

    /// Whether the byte is a `tchar` of RFC 9110 section 5.6.2.
    package var isTokenCharacter: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
