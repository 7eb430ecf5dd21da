// One check of the catalog: an ID, the rules it checks, and the requests that check them.

/// One case of the catalog: a few requests to the probe and what their answers must show.
public struct ConformanceCase: Sendable {
    /// A stable ID, such as `req-path-encoded-slash`; deviations files and reports use it.
    public let id: String
    /// The IDs of the Spec rules the case checks.
    public let rules: [String]
    /// What the case checks, in one sentence.
    public let summary: String
    /// Runs the case's requests; returns what passed, in one line, or throws ``CaseFailure`` or
    /// ``NotApplicable``.
    let check: @Sendable (ProbeSession) throws -> String

    init(_ id: String, _ rules: [String], _ summary: String, check: @escaping @Sendable (ProbeSession) throws -> String) {
        self.id = id
        self.rules = rules
        self.summary = summary
        self.check = check
    }
}

/// A check inside a case did not hold; the case fails with this reason.
struct CaseFailure: Error, CustomStringConvertible {
    let description: String
}

/// Fails the case with `reason` unless `condition` holds.
func expect(_ condition: Bool, _ reason: @autoclosure () -> String) throws {
    if !condition { throw CaseFailure(description: reason()) }
}

/// Fails the case unless `actual` equals `expected`, naming `what` differed.
func expectEqual<Value: Equatable>(_ actual: Value, _ expected: Value, _ what: String) throws {
    if actual != expected { throw CaseFailure(description: "\(what) is \(quoted(actual)), expected \(quoted(expected))") }
}

/// Fails the case unless `actual` lists `expected` in the same order, naming the first place
/// they differ rather than both lists.
func expectSameOrder(_ actual: [String], _ expected: [String], _ what: String) throws {
    guard actual != expected else { return }
    guard let index = zip(actual, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset else {
        throw CaseFailure(description: "\(what): \(actual.count) arrived, \(expected.count) expected")
    }
    throw CaseFailure(description: "\(what) are out of order: \(quoted(actual[index])) came \(ordinal(index + 1)), where \(quoted(expected[index])) was sent")
}

/// 1st, 2nd, 3rd, 4th …
private func ordinal(_ number: Int) -> String {
    let suffix = (11...13).contains(number % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][number % 10] ?? "th"
    return "\(number)\(suffix)"
}

/// A value as it reads in a reason: strings quoted and escaped.
func quoted(_ value: some Any) -> String {
    if let text = value as? String { return text.debugDescription }
    if let optional = value as? String?, optional == nil { return "null" }
    return "\(value)"
}
