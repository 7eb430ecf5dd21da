// Runs the catalog against a target and collects a report.

import Foundation

/// The conformance suite: every case of the catalog, run against one server.
///
/// ```swift
/// let target = try ConformanceTarget(url: "http://127.0.0.1:8080/probe", serverName: "standalone")
/// let report = await ConformanceSuite(target: target).run()
/// print(report.table())
/// ```
public struct ConformanceSuite: Sendable {
    /// The server under test.
    public let target: ConformanceTarget
    /// The cases run: the IDs asked for, or every case.
    public let selection: Set<String>?

    /// A suite running the cases whose IDs are in `caseIDs` (every case when `nil`) against
    /// `target`. A rule ID selects every case citing that rule, or its row if no request can
    /// observe it.
    public init(target: ConformanceTarget, selecting caseIDs: Set<String>? = nil) {
        self.target = target
        selection = caseIDs
    }

    /// Every case, in the order they run.
    public static var catalog: [ConformanceCase] {
        requestCases + pathSafetyCases + bodyCases + responseCases + errorCases + connectionCases + limitCases + capabilityCases
            + http2Cases + webSocketCases
    }

    /// Runs the selected cases, one after another, and reports each. Cases block on sockets,
    /// so they run on a thread of their own, not on the concurrency pool.
    public func run() async -> ConformanceReport {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: runBlocking()) }
            thread.name = "sluice-conformance"
            thread.start()
        }
    }

    private func runBlocking() -> ConformanceReport {
        let cases = Self.catalog.filter { entry in
            selection.map { $0.contains(entry.id) || !$0.isDisjoint(with: entry.rules) } ?? true
        }
        let unobservable = Self.unobservableRules.filter { selection?.contains($0.rule) ?? true }
        let session: ProbeSession
        do {
            session = try ProbeSession(target: target)
        } catch {
            let results = cases.map {
                explained(CaseResult(caseID: $0.id, rules: $0.rules, outcome: .fail, reason: "the probe did not answer a plain GET: \(error)", seconds: 0))
            }
            return ConformanceReport(server: target.serverName, results: results + unobservable.map(\.result))
        }
        let results = cases.map { run($0, in: session) }
        return ConformanceReport(server: target.serverName, results: results + unobservable.map(\.result))
    }

    private func run(_ conformanceCase: ConformanceCase, in session: ProbeSession) -> CaseResult {
        let clock = ContinuousClock()
        let start = clock.now
        let outcome: Outcome
        let reason: String
        do {
            (outcome, reason) = (.pass, try conformanceCase.check(session))
        } catch let skip as NotApplicable {
            (outcome, reason) = (.notApplicable, skip.reason)
        } catch {
            (outcome, reason) = (.fail, "\(error)")
        }
        let elapsed = clock.now - start
        return explained(
            CaseResult(
                caseID: conformanceCase.id, rules: conformanceCase.rules, outcome: outcome,
                reason: reason, seconds: Double(elapsed.milliseconds) / 1000
            ))
    }

    /// The result with the target's known deviation applied: a failure it explains becomes a
    /// deviation; a listed case that did not fail says so.
    private func explained(_ result: CaseResult) -> CaseResult {
        guard let explanation = target.knownDeviations[result.caseID] else { return result }
        var result = result
        if result.outcome == .fail {
            result.outcome = .deviation
            result.reason = "\(explanation) (observed: \(result.reason))"
        } else {
            result.reason += " (listed as a deviation, but \(result.outcome.rawValue))"
        }
        return result
    }
}
