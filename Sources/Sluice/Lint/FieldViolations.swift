// Lint's reading of the field grammar: malformed fields as violations.

extension FieldGrammar {
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
                found.append(
                    LintViolation(
                        rule: rule,
                        message: "\(kind) \(quoted(field.name)) has a value with CR, LF or NUL: \(quoted(field.value))",
                        party: party
                    ))
            }
            return found
        }
    }
}
