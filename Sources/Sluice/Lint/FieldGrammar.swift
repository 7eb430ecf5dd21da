// The grammar of header and trailer fields, as Lint checks it (RFC 9110 section 5).

/// Checks of field names and values shared by the request and response sides of ``Lint``.
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
        !text.isEmpty && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// The fields whose names are not tokens or whose values contain CR, LF or NUL, as
    /// violations of `rule` (REQ-7 for requests, RESP-3 for responses and trailers).
    static func violations(
        of fields: Headers,
        kind: String,
        rule: String,
        party: LintViolation.Party
    ) -> [LintViolation] {
        fields.flatMap { field -> [LintViolation] in
            var found: [LintViolation] = []
            if !isToken(field.name) {
                found.append(LintViolation(rule: rule, message: "\(kind) name \(quoted(field.name)) is not a token", party: party))
            }
            if containsLineBreakOrNul(field.value) {
                found.append(LintViolation(
                    rule: rule,
                    message: "\(kind) \(quoted(field.name)) has a value with CR, LF or NUL: \(quoted(field.value))",
                    party: party
                ))
            }
            return found
        }
    }

    /// The field name with ASCII letters lowercased: the key into the sets below.
    static func lowercased(_ name: String) -> String {
        String(decoding: name.utf8.map(\.asciiLowercased), as: UTF8.self)
    }

    /// Fields that frame a single connection; the server owns them (RFC 9110 section 7.6.1).
    static let hopByHopFields: Set<String> = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "upgrade"]

    /// Fields that frame or route a message and so may not travel as trailers (Spec RESP-11).
    static let fieldsForbiddenInTrailers: Set<String> = ["content-length", "transfer-encoding", "host", "content-type", "trailer"]
}

/// The text in double quotes with control characters escaped, so a message shows a stray
/// CR or NUL rather than printing it.
func quoted(_ text: some StringProtocol) -> String {
    String(reflecting: String(text))
}
