// The checks of a response's head, as the application returns it (Spec RESP-2 to RESP-8).

/// Checks the status and header fields an application returned, before the server sends them.
enum ResponseChecks {
    /// Every rule the response's head breaks; empty for a valid one.
    static func violations(of response: Response) -> [LintViolation] {
        statusViolations(response) + fieldViolations(response.headers) + contentLengthViolations(response.headers)
            + bodyViolations(response)
    }

    /// The final status: 200 to 599 (RESP-2).
    private static func statusViolations(_ response: Response) -> [LintViolation] {
        let code = response.status.code
        if !(100...599).contains(code) {
            return [.application("RESP-2", "status \(code) is not in 100...599")]
        }
        if response.status.isInformational {
            return [.application("RESP-2", "status \(code) is informational; a final response must be 200...599")]
        }
        return []
    }

    /// Every rule an informational response breaks (RESP-12): a status other than 102...199 —
    /// 101 switches protocols, which Sluice 1.0 has not, and 100 is the server's (BODY-6) — a
    /// field that breaks RESP-3, or `Content-Length` (RESP-7).
    static func violations(ofInformational status: Response.Status, headers: Headers) -> [LintViolation] {
        var found: [LintViolation] = []
        let code = status.code
        if !status.isInformational {
            found.append(.application("RESP-12", "informational status \(code) is not 1xx"))
        } else if code == 100 {
            found.append(.application("RESP-12", "informational status 100 is the server's to send, on the first read of the body (BODY-6)"))
        } else if code == 101 {
            found.append(.application("RESP-12", "informational status 101 would switch protocols; Sluice 1.0 has no upgrades"))
        }
        if FieldGrammar.containsLineBreakOrNul(status.reasonPhrase) {
            found.append(.application("RESP-12", "the reason phrase of informational status \(code) has CR, LF or NUL: \(quoted(status.reasonPhrase))"))
        }
        found += fieldViolations(headers, kind: "informational response header")
        if let value = headers["Content-Length"] {
            found.append(.application("RESP-7", "a \(code) response carries Content-Length \(quoted(value))"))
        }
        return found
    }

    /// Field grammar, `Status` and hop-by-hop fields (RESP-3).
    private static func fieldViolations(_ headers: Headers, kind: String = "response header") -> [LintViolation] {
        var found = FieldGrammar.violations(of: headers, kind: kind, rule: "RESP-3", party: .application)
        for field in headers {
            let name = FieldGrammar.lowercased(field.name)
            if name == "status" {
                found.append(.application("RESP-3", "\(kind) \(quoted(field.name)) collides with CGI's Status field"))
            } else if FieldGrammar.isHopByHop(field.name) {
                found.append(.application("RESP-3", "\(kind) \(quoted(field.name)) is hop-by-hop; framing is the server's"))
            }
        }
        return found
    }

    /// `Content-Length`: at most one value, digits only (RESP-4).
    private static func contentLengthViolations(_ headers: Headers) -> [LintViolation] {
        let values = headers.values(for: "Content-Length")
        if values.count > 1 {
            return [.application("RESP-4", "Content-Length appears \(values.count) times: \(quoted(values.joined(separator: ", ")))")]
        }
        if let value = values.first, !FieldGrammar.isDigits(value) {
            return [.application("RESP-4", "Content-Length \(quoted(value)) is not a decimal number")]
        }
        return []
    }

    /// Bodies where the status allows none (RESP-7), and bodies without `Content-Type` (RESP-8).
    private static func bodyViolations(_ response: Response) -> [LintViolation] {
        let status = response.status
        let length = response.body.length ?? 0
        var found: [LintViolation] = []
        if !status.allowsBody, length > 0 {
            found.append(.application("RESP-7", "a \(status.code) response has a body of \(length) bytes; it must have none"))
        }
        if status.isInformational || status.code == 204, let value = response.headers["Content-Length"] {
            found.append(.application("RESP-7", "a \(status.code) response carries Content-Length \(quoted(value))"))
        }
        if status.allowsBody, length > 0, !response.headers.contains("Content-Type") {
            found.append(missingContentType)
        }
        return found
    }

    /// The warning for a body without `Content-Type` (RESP-8, a SHOULD).
    static let missingContentType = LintViolation.application(
        "RESP-8",
        "the response has a body but no Content-Type",
        severity: .warning
    )
}
