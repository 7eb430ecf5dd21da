// The results of one run, for people (a table) and for CI (JSON, JUnit XML).

import Foundation

/// Every case's result against one server.
public struct ConformanceReport: Sendable, Codable {
    /// The server's name, as the target gave it.
    public var server: String
    /// One result per case, in catalog order, then the rules no HTTP request can observe.
    public var results: [CaseResult]

    /// Creates a report.
    public init(server: String, results: [CaseResult]) {
        self.server = server
        self.results = results
    }

    /// Whether any case failed (deviations are not failures).
    public var hasFailures: Bool { results.contains { $0.outcome == .fail } }

    /// A plain-text table: case, rules, outcome and a one-line reason, then the counts.
    public func table() -> String {
        let rows =
            [["case", "rules", "outcome", "reason"]]
            + results.map {
                [$0.caseID, $0.rules.joined(separator: ","), $0.outcome.rawValue, $0.reason]
            }
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                + "  " + row[3]
        }
        lines.insert("conformance of \(server)", at: 0)
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    /// How many cases ended each way, in one line.
    public var summary: String {
        let counts = [Outcome.pass, .fail, .deviation, .notApplicable].map { outcome in
            "\(results.filter { $0.outcome == outcome }.count) \(outcome.rawValue)"
        }
        return "\(server): " + counts.joined(separator: ", ")
    }

    /// The report as JSON: `{"server": …, "results": [{"caseID", "rules", "outcome", "reason", "seconds"}]}`.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a report written by ``json()``.
    public static func decode(json: String) throws -> ConformanceReport {
        try JSONDecoder().decode(ConformanceReport.self, from: Data(json.utf8))
    }

    /// The report as JUnit XML: one `testcase` per result, a failure for each failed case and
    /// `skipped` (with the reason) for deviations and cases that do not apply.
    public func junit() -> String {
        let failures = results.filter { $0.outcome == .fail }.count
        let skipped = results.filter { $0.outcome == .deviation || $0.outcome == .notApplicable }.count
        let total = results.reduce(0) { $0 + $1.seconds }
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml +=
            #"<testsuite name="sluice-conformance.\#(escaped(server))" tests="\#(results.count)" failures="\#(failures)" skipped="\#(skipped)" time="\#(seconds(total))">"#
            + "\n"
        for result in results {
            let name = "\(result.caseID) [\(result.rules.joined(separator: ", "))]"
            xml += #"  <testcase classname="sluice-conformance.\#(escaped(server))" name="\#(escaped(name))" time="\#(seconds(result.seconds))""#
            switch result.outcome {
            case .pass:
                xml += "/>\n"
            case .fail:
                xml += ">\n" + #"    <failure message="\#(escaped(result.reason))"/>"# + "\n  </testcase>\n"
            case .deviation:
                xml += ">\n" + #"    <skipped message="\#(escaped("deviation: " + result.reason))"/>"# + "\n  </testcase>\n"
            case .notApplicable:
                xml += ">\n" + #"    <skipped message="\#(escaped("not applicable: " + result.reason))"/>"# + "\n  </testcase>\n"
            }
        }
        return xml + "</testsuite>\n"
    }

    private func seconds(_ value: Double) -> String { String(format: "%.3f", value) }

    /// Text safe inside an XML attribute; characters XML 1.0 forbids become `?`.
    private func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\n": result += "&#10;"
            case "\t", "\r": result += "&#\(scalar.value);"
            case _ where scalar.value < 0x20: result += "?"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
