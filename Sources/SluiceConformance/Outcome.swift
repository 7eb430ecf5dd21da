// What one case concluded.

/// The outcome of one case against one server.
public enum Outcome: String, Sendable, Codable {
    /// The server kept every rule the case checks.
    case pass
    /// The server broke a rule the case checks.
    case fail
    /// The case does not apply: the server declares it lacks the capability, its wire is not
    /// the one the rule binds, or the rule cannot be observed over HTTP.
    case notApplicable = "not-applicable"
    /// The case failed, and the target's known deviations explain why.
    case deviation
}

/// One case's result.
public struct CaseResult: Sendable, Codable {
    /// The case's ID (or, for a rule no HTTP request can observe, the rule's ID).
    public var caseID: String
    /// The Spec rules the case checks.
    public var rules: [String]
    /// What the case concluded.
    public var outcome: Outcome
    /// One line: what was observed, or why the case does not apply.
    public var reason: String
    /// How long the case took.
    public var seconds: Double

    /// Creates a result.
    public init(caseID: String, rules: [String], outcome: Outcome, reason: String, seconds: Double) {
        self.caseID = caseID
        self.rules = rules
        self.outcome = outcome
        self.reason = reason
        self.seconds = seconds
    }
}
