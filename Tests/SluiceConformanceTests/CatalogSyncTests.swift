// Holds the catalog and the Spec to each other: every server rule has a case or is listed as
// unobservable over HTTP with the test that checks it instead; every case cites defined rules;
// IDs are unique (issue 7: "a test fails when a rule has no case or a case cites no rule").

import Foundation
import SluiceConformance
import Testing

@Suite("Catalog and Spec in step")
struct CatalogSyncTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SluiceConformanceTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// The rules of `Spec/sluice-1.0.md`: ID → parties, from headings `#### ID — Title (party)`.
    static func specRules() throws -> [String: Set<String>] {
        let text = try String(contentsOf: root.appendingPathComponent("Spec/sluice-1.0.md"), encoding: .utf8)
        var rules: [String: Set<String>] = [:]
        for line in text.split(separator: "\n") {
            guard let match = line.wholeMatch(of: #/#### (?<id>[A-Z][A-Z0-9]*-[0-9]+) — (?<title>.+) \((?<party>[a-z, ]+)\)/#),
                !match.title.hasPrefix("Withdrawn in ")
            else { continue }
            rules[String(match.id)] = Set(match.party.split(separator: ", ").map(String.init))
        }
        return rules
    }

    @Test("the Spec's rule headings are found")
    func specIsRead() throws {
        let rules = try Self.specRules()
        #expect(rules.count > 50)
        #expect(rules["RESP-9"] == ["server"])
        #expect(rules["BODY-5"] == ["application", "server"])
    }

    @Test("every server rule has a case or is listed as unobservable over HTTP, with the test that checks it")
    func everyServerRuleIsCovered() throws {
        let serverRules = try Self.specRules().filter { $0.value.contains("server") }.keys
        let cited = Set(ConformanceSuite.catalog.flatMap(\.rules))
        let unobservable = Set(ConformanceSuite.unobservableRules.map(\.rule))
        let uncovered = serverRules.filter { !cited.contains($0) && !unobservable.contains($0) }.sorted()
        #expect(uncovered.isEmpty, "server rules with neither a case nor an entry in unobservableRules: \(uncovered.joined(separator: ", "))")
        let both = cited.intersection(unobservable).sorted()
        #expect(both.isEmpty, "rules both checked by a case and listed as unobservable: \(both.joined(separator: ", "))")
    }

    @Test("every case cites at least one rule, and only rules the Spec defines")
    func everyCitationIsDefined() throws {
        let defined = try Self.specRules()
        for entry in ConformanceSuite.catalog {
            #expect(!entry.rules.isEmpty, "\(entry.id) cites no rule")
            let unknown = entry.rules.filter { defined[$0] == nil }
            #expect(unknown.isEmpty, "\(entry.id) cites undefined rules \(unknown)")
            let notServer = entry.rules.filter { defined[$0].map { !$0.contains("server") } ?? false }
            #expect(notServer.isEmpty, "\(entry.id) cites rules no server is bound by: \(notServer)")
        }
        for entry in ConformanceSuite.unobservableRules {
            #expect(defined[entry.rule]?.contains("server") == true, "unobservable \(entry.rule) is not a server rule of the Spec")
            let test = Self.root.appendingPathComponent("Tests").appendingPathComponent(entry.checkedBy)
            #expect(FileManager.default.fileExists(atPath: test.path), "\(entry.rule) is checked by \(entry.checkedBy), which does not exist")
            let text = (try? String(contentsOf: test, encoding: .utf8)) ?? ""
            #expect(text.contains("[\(entry.rule)]"), "\(entry.checkedBy) cites no [\(entry.rule)]")
        }
    }

    @Test("case IDs are unique, lower-case words with hyphens, and differ from rule IDs")
    func caseIDsAreUnique() {
        let ids = ConformanceSuite.catalog.map(\.id) + ConformanceSuite.unobservableRules.map(\.rule)
        let repeated = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(repeated.isEmpty, "IDs used more than once: \(repeated.joined(separator: ", "))")
        let malformed = ConformanceSuite.catalog.map(\.id).filter { $0.wholeMatch(of: #/[a-z0-9]+(-[a-z0-9.]+)+/#) == nil }
        #expect(malformed.isEmpty, "case IDs that are not lower-case words with hyphens: \(malformed)")
    }
}
