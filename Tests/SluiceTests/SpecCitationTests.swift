// Holds the Spec and the tests to each other: every rule is defined once, every rule is cited by
// a test, and every citation names a rule that exists (Spec, chapter "Conformance").

import Foundation
import Testing

@Suite("Spec and citations")
struct SpecCitationTests {
    static let sources = SourceTree(
        root: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // SluiceTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent())

    @Test("rule headings are well formed, defined once and numbered without gaps")
    func rulesAreDefinedOnce() throws {
        let spec = try Self.sources.spec()
        #expect(!spec.rules.isEmpty, "no rule headings found under Spec/")
        #expect(
            spec.malformedHeadings.isEmpty,
            """
            headings that look like rules but do not read "#### ID — Title (party)": \
            \(spec.malformedHeadings.joined(separator: "; "))
            """)

        let repeated = Dictionary(grouping: spec.rules, by: \.id).filter { $0.value.count > 1 }.keys.sorted()
        #expect(repeated.isEmpty, "rules defined more than once: \(repeated.joined(separator: ", "))")

        for (prefix, rules) in Dictionary(grouping: spec.rules, by: \.prefix) {
            let numbers = Set(rules.map(\.number))
            let missing = (1...(numbers.max() ?? 0)).filter { !numbers.contains($0) }
            #expect(missing.isEmpty, "\(prefix) is missing rule numbers \(missing); IDs are never reused or skipped")
        }
    }

    @Test("every rule is cited by a test")
    func everyRuleIsCited() throws {
        let spec = try Self.sources.spec()
        let cited = try Self.sources.citations(under: "Tests")
        let uncited = spec.rules
            .filter { !$0.isWithdrawn && !cited.keys.contains($0.id) }
            .map(\.id)
        #expect(
            uncited.isEmpty,
            """
            \(uncited.count) rules are cited by no test as [ID]: \(uncited.joined(separator: ", "))
            """)
    }

    @Test("every [ID] in Tests, Sources and the Spec names a defined rule")
    func everyCitationIsDefined() throws {
        let defined = Set(try Self.sources.spec().rules.map(\.id))
        var citations = try Self.sources.citations(under: "Tests")
        citations.merge(try Self.sources.citations(under: "Sources")) { $0 + $1 }
        citations.merge(try Self.sources.citations(under: "Spec", fileExtension: "md")) { $0 + $1 }
        let unknown = citations.filter { !defined.contains($0.key) }
            .sorted { $0.key < $1.key }
            .map { "[\($0.key)] in \($0.value.sorted().joined(separator: ", "))" }
        #expect(unknown.isEmpty, "citations of undefined rules: \(unknown.joined(separator: "; "))")
    }

    @Test("every rule has a link reference pointing at its heading")
    func everyRuleIsLinked() throws {
        let spec = try Self.sources.spec()
        let wrong = spec.rules.compactMap { rule -> String? in
            let expected = SpecText.anchor(of: rule.heading)
            guard let target = spec.linkTargets[rule.id] else { return "\(rule.id) has no [\(rule.id)]: line" }
            return target == "#" + expected ? nil : "[\(rule.id)] points at \(target), not #\(expected)"
        }
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "; "))")
    }
}

extension SpecCitationTests {
    /// The package's files, as this test reads them.
    struct SourceTree {
        let root: URL

        /// The rules and link references of every Markdown file under `Spec/`.
        func spec() throws -> SpecText {
            var text = SpecText()
            for file in try files(under: "Spec", fileExtension: "md") {
                text.read(try String(contentsOf: file, encoding: .utf8), from: relativePath(of: file))
            }
            return text
        }

        /// Every `[ID]` cited in the files under `folder`, with the files citing it; this test's own
        /// file is left out, since its code names IDs without citing them.
        func citations(under folder: String, fileExtension: String = "swift") throws -> [String: [String]] {
            var found: [String: [String]] = [:]
            for file in try files(under: folder, fileExtension: fileExtension) where file.lastPathComponent != "SpecCitationTests.swift" {
                let text = try String(contentsOf: file, encoding: .utf8)
                let path = relativePath(of: file)
                for id in Set(text.matches(of: #/\[([A-Z][A-Z0-9]*-[0-9]+)\]/#).map { String($0.output.1) }) {
                    found[id, default: []].append(path)
                }
            }
            return found
        }

        private func files(under folder: String, fileExtension: String) throws -> [URL] {
            let directory = root.appendingPathComponent(folder)
            guard let walk = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
                throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: directory.path])
            }
            return walk.compactMap { $0 as? URL }.filter { $0.pathExtension == fileExtension }
        }

        private func relativePath(of file: URL) -> String {
            String(file.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
        }
    }

    /// What the test reads from the Spec: rule headings and `[ID]: #anchor` link references.
    struct SpecText {
        /// One rule, as its heading `#### ID — Title (party)` defines it.
        struct Rule {
            let id: String
            let prefix: String
            let number: Int
            /// The heading's text after `#### `, from which its anchor derives.
            let heading: String
            let location: String

            /// Whether the rule was withdrawn (its heading reads `ID — Withdrawn in X.Y: …`).
            var isWithdrawn: Bool { heading.contains(" — Withdrawn in ") }
        }

        private(set) var rules: [Rule] = []
        private(set) var malformedHeadings: [String] = []
        private(set) var linkTargets: [String: String] = [:]

        mutating func read(_ text: String, from path: String) {
            let definition = #/#### (?<id>(?<prefix>[A-Z][A-Z0-9]*)-(?<number>[0-9]+)) — .+ \((?<party>[a-z, ]+)\)/#
            let looksLikeDefinition = #/####\s+[A-Z][A-Z0-9]*-[0-9]+.*/#
            let parties: Set<Substring> = ["server", "application", "middleware"]
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let location = "\(path):\(index + 1)"
                if let match = line.wholeMatch(of: definition),
                    match.party.split(separator: ", ").allSatisfy(parties.contains),
                    let number = Int(match.number)
                {
                    rules.append(
                        Rule(
                            id: String(match.id), prefix: String(match.prefix), number: number,
                            heading: String(line.dropFirst(5)), location: location
                        ))
                } else if line.wholeMatch(of: looksLikeDefinition) != nil {
                    malformedHeadings.append("\(location) \(line)")
                } else if let link = line.wholeMatch(of: #/\[(?<id>[A-Z][A-Z0-9]*-[0-9]+)\]: (?<target>\S+)/#) {
                    linkTargets[String(link.id)] = String(link.target)
                }
            }
        }

        /// The anchor GitHub gives a heading: lower-cased, punctuation other than `-` and `_`
        /// dropped, spaces turned into `-`.
        static func anchor(of heading: String) -> String {
            String(
                heading.lowercased().unicodeScalars.compactMap { scalar -> Character? in
                    if scalar == " " { return "-" }
                    let kept = scalar == "-" || scalar == "_" || CharacterSet.alphanumerics.contains(scalar)
                    return kept ? Character(scalar) : nil
                })
        }
    }
}
