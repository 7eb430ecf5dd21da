// What Lint reports: a Spec rule that a server or an application broke.

/// A rule of the Spec that a server or an application broke, as ``Lint`` found it.
///
/// Its ``description`` reads `[RESP-4] message`: the rule's identifier in brackets, as the
/// Spec (`Spec/sluice-1.0.md`) and the tests cite it, then what was wrong, quoting the
/// offending value.
public struct LintViolation: Error, Hashable, Sendable, CustomStringConvertible {
    /// Who broke the rule.
    public enum Party: Hashable, Sendable {
        /// The server or adapter: the request it handed over, or how it ran the response.
        case server
        /// The application (or middleware inside ``Lint``): the response it returned, or how it
        /// used the request.
        case application
    }

    /// How bad the violation is.
    public enum Severity: Hashable, Sendable {
        /// A MUST was broken: Lint throws the violation.
        case error
        /// A SHOULD was broken (such as RESP-8, a body without `Content-Type`): Lint reports the
        /// violation and writes it to the error log, but lets the exchange go on.
        case warning
    }

    /// The rule's identifier, such as `RESP-4`.
    public var rule: String
    /// What was wrong, in one sentence.
    public var message: String
    /// Who broke the rule.
    public var party: Party
    /// Whether the violation stops the exchange.
    public var severity: Severity

    /// Creates a violation; by default an error of the application.
    public init(rule: String, message: String, party: Party = .application, severity: Severity = .error) {
        self.rule = rule
        self.message = message
        self.party = party
        self.severity = severity
    }

    /// `[RULE] message`.
    public var description: String { "[\(rule)] \(message)" }
}

extension LintViolation {
    /// A rule the server broke.
    static func server(_ rule: String, _ message: String) -> LintViolation {
        LintViolation(rule: rule, message: message, party: .server)
    }

    /// A rule the application broke.
    static func application(_ rule: String, _ message: String, severity: Severity = .error) -> LintViolation {
        LintViolation(rule: rule, message: message, party: .application, severity: severity)
    }
}
