// The grammar of header and trailer fields (RFC 9110 section 5), as the gateway and Lint check it.

/// Checks of field names and values: the gateway uses them to refuse unsendable heads,
/// Lint to name the rule an exchange broke.
enum FieldGrammar {
    /// Whether the text is a non-empty `token` (RFC 9110 section 5.6.2).
    static func isToken(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(\.isTokenCharacter)
    }

    /// Whether the text holds a byte that would end or split a header line: CR, LF or NUL.
    static func containsLineBreakOrNul(_ text: some StringProtocol) -> Bool {
        text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }

    /// Whether the text is one or more decimal digits.
    static func isDigits(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(\.isDecimalDigit)
    }

    /// Whether the text is `HTTP/` and a version, `d.d` or `d` (RFC 9112 section 2.3).
    static func isHTTPVersion(_ text: String) -> Bool {
        text.withBorrowedUTF8(isHTTPVersion)
    }

    private static func isHTTPVersion(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 6 || bytes.count == 8, bytes.starts(with: "HTTP/".utf8), bytes[5].isDecimalDigit else { return false }
        return bytes.count == 6 || bytes[6] == UInt8(ascii: ".") && bytes[7].isDecimalDigit
    }

    /// The field name with ASCII letters lowercased: the key into the sets below.
    static func lowercased(_ name: String) -> String {
        String(decoding: name.utf8.map(\.asciiLowercased), as: UTF8.self)
    }

    /// Fields that frame a single connection; the server owns them (RFC 9110 section 7.6.1).
    static let hopByHopFields: [String] = ["Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "TE", "Upgrade"]

    /// Whether a field name, in any case, is one of ``hopByHopFields``.
    static func isHopByHop(_ name: String) -> Bool {
        hopByHopFields.contains { $0.equalsIgnoringASCIICase(name) }
    }

    /// Fields that frame or route a message and so may not travel as trailers (Spec RESP-11).
    static let fieldsForbiddenInTrailers: Set<String> = ["content-length", "transfer-encoding", "host", "content-type", "trailer"]
}

/// The text in double quotes with control characters escaped, so a message shows a stray
/// CR or NUL rather than printing it.
func quoted(_ text: some StringProtocol) -> String {
    String(reflecting: String(text))
}

/// The text as it is when it holds no control character, else ``quoted(_:)``: a name in a log
/// line stays readable, and cannot split the line.
func printable(_ text: String) -> String {
    text.utf8.contains(where: \.isControlCharacter) ? quoted(text) : text
}
