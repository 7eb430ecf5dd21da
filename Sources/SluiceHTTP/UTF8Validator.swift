// UTF-8 checked as it arrives, so that a text message split across frames fails at its first
// bad byte rather than after it was buffered whole (RFC 6455 section 8.1; Spec WS-8).

/// Checks a byte stream for well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
/// nothing above U+10FFFF), a piece at a time.
struct UTF8Validator {
    /// Continuation bytes still due for the character in progress.
    private var remaining = 0
    /// The range the next continuation byte must be in: narrower than 80...BF after the lead
    /// bytes that forbid overlong forms, surrogates and code points past U+10FFFF.
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// Takes the next bytes; `false` as soon as they cannot be UTF-8.
    mutating func consume(_ bytes: some Sequence<UInt8>) -> Bool {
        for byte in bytes {
            if remaining == 0 {
                switch byte {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: remaining = 1
                case 0xE0: (remaining, lower) = (2, 0xA0)
                case 0xE1...0xEC, 0xEE...0xEF: remaining = 2
                case 0xED: (remaining, upper) = (2, 0x9F)
                case 0xF0: (remaining, lower) = (3, 0x90)
                case 0xF1...0xF3: remaining = 3
                case 0xF4: (remaining, upper) = (3, 0x8F)
                default: return false
                }
            } else {
                guard byte >= lower, byte <= upper else { return false }
                (lower, upper) = (0x80, 0xBF)
                remaining -= 1
            }
        }
        return true
    }

    /// Whether the bytes so far end on a character boundary.
    var isComplete: Bool { remaining == 0 }
}
