// The report's three forms: the table for people, JSON that reads back, JUnit XML for CI;
// and how known deviations and targets given by URL are read.

import SluiceConformance
import Testing

@Suite("Conformance report")
struct ReportTests {
    static let report = ConformanceReport(
        server: "nginx <tcp>",
        results: [
            CaseResult(caseID: "req-method", rules: ["REQ-1"], outcome: .pass, reason: "DELETE arrives", seconds: 0.01),
            CaseResult(caseID: "limit-target-414", rules: ["SEC-3", "ERR-3"], outcome: .deviation, reason: "nginx answers 414 & \"closes\"", seconds: 0.02),
            CaseResult(caseID: "resp-trailers", rules: ["RESP-11"], outcome: .notApplicable, reason: "supportsTrailers is false", seconds: 0),
        ])

    @Test("the table has a row per result and the counts; deviations are not failures")
    func table() {
        let table = Self.report.table()
        #expect(table.contains("limit-target-414"))
        #expect(table.contains("SEC-3,ERR-3"))
        #expect(table.contains("1 pass, 0 fail, 1 deviation, 1 not-applicable"))
        #expect(!Self.report.hasFailures)
    }

    @Test("JSON reads back as the same report, outcomes spelled as in the table")
    func json() throws {
        let json = Self.report.json()
        #expect(json.contains(#""outcome" : "not-applicable""#))
        let decoded = try ConformanceReport.decode(json: json)
        #expect(decoded.server == Self.report.server)
        #expect(decoded.results.map(\.outcome) == [.pass, .deviation, .notApplicable])
        #expect(decoded.results[1].reason == Self.report.results[1].reason)
    }

    @Test("JUnit XML: a testcase per result, failures counted, deviations skipped, text escaped")
    func junit() {
        var failing = Self.report
        failing.results.append(CaseResult(caseID: "resp-head", rules: ["RESP-6"], outcome: .fail, reason: "a <body> came", seconds: 0.1))
        let xml = failing.junit()
        #expect(failing.hasFailures)
        #expect(xml.contains(#"tests="4" failures="1" skipped="2""#))
        #expect(xml.contains(#"name="sluice-conformance.nginx &lt;tcp&gt;""#))
        #expect(xml.contains(#"<failure message="a &lt;body&gt; came"/>"#))
        #expect(xml.contains("deviation: nginx answers 414 &amp; &quot;closes&quot;"))
    }

    @Test("a target from a URL: host, port and mount path; IPv6; not https")
    func targetFromURL() throws {
        let target = try ConformanceTarget(url: "http://127.0.0.1:8080/probe/", serverName: "local")
        #expect(target.host == "127.0.0.1")
        #expect(target.port == 8080)
        #expect(target.mountPath == "/probe")
        let root = try ConformanceTarget(url: "http://[::1]:9000")
        #expect(root.host == "::1")
        #expect(root.port == 9000)
        #expect(root.mountPath == "")
        #expect(try ConformanceTarget(url: "http://example.org").port == 80)
        #expect(throws: ConformanceTargetError.self) { try ConformanceTarget(url: "https://example.org/") }
    }

    @Test("a rule ID selects the cases citing it; a known deviation turns a failing case into a deviation; an unreachable server fails every case")
    func unreachable() async {
        var target = ConformanceTarget(host: "127.0.0.1", port: 9, serverName: "nobody")
        target.timeout = .seconds(1)
        target.knownDeviations = ["req-method": "explained"]
        let report = await ConformanceSuite(target: target, selecting: ["req-method", "REQ-2", "REQ-13"]).run()
        #expect(report.results.map(\.caseID) == ["req-method", "req-target-raw", "REQ-13"])
        #expect(report.results.map(\.outcome) == [.deviation, .fail, .notApplicable])
        #expect(report.hasFailures)
    }
}
