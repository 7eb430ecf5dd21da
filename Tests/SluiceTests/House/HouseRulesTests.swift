// The package's layering, checked from Package.swift and the import lines: what Docs and the
// Spec's introduction promise about who depends on whom.

import Foundation
import Testing

/// A target as `swift package dump-package` describes it, with the modules its sources import.
struct TargetFacts: Sendable {
    var name: String
    var declared: [String]
    var imported: Set<String>
}

/// The house rules: the core depends on nothing, the server side (Docs/architecture.md) on
/// nothing but the core and itself, an adapter on no other adapter, and no target declares a
/// dependency it does not import (each one is built, and paid for, by every user of the target).
enum HouseRules {
    /// The adapters: each is the whole of one wire, and none builds on another.
    static let adapters: Set<String> = ["SluiceCGI", "SluiceFastCGI", "SluiceHTTP"]
    /// The server-side modules every adapter shares, with what each may depend on: no package,
    /// so a vendored CGI program still needs none.
    static let serverSide: [String: Set<String>] = [
        "SluiceGateway": ["Sluice"],
        "SluiceCGIWire": ["Sluice", "SluiceGateway"],
    ]

    /// Every broken rule, as sentences.
    static func violations(in targets: [TargetFacts]) -> [String] {
        targets.flatMap { target -> [String] in
            var found: [String] = []
            if target.name == "Sluice", !target.declared.isEmpty {
                found.append("the core declares dependencies: \(target.declared.sorted())")
            }
            if let allowed = serverSide[target.name], !Set(target.declared).isSubset(of: allowed) {
                found.append("the server-side module \(target.name) declares dependencies beyond \(allowed.sorted()): \(target.declared.sorted())")
            }
            if adapters.contains(target.name) {
                for other in target.imported.intersection(adapters.union(["SluiceServe"])).sorted() where other != target.name {
                    found.append("the adapter \(target.name) imports \(other)")
                }
            }
            for dependency in target.declared where !target.imported.contains(dependency) {
                found.append("\(target.name) declares \(dependency) and imports it nowhere")
            }
            return found
        }
    }
}

/// The portability rule: a platform's C library (Glibc, Musl, Darwin) is imported only under
/// `#if canImport` of that module, so that the package builds wherever one of them exists
/// (README, "Platforms").
enum PlatformImports {
    static let modules: Set<String> = ["Glibc", "Musl", "Darwin"]

    /// The lines of `text` that import a platform module outside an `#if canImport(` of it.
    static func unguarded(in text: String) -> [String] {
        var conditions: [String] = []
        var found: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#if ") {
                conditions.append(trimmed)
            } else if trimmed.hasPrefix("#elseif ") || trimmed.hasPrefix("#else"), !conditions.isEmpty {
                conditions[conditions.count - 1] = trimmed
            } else if trimmed.hasPrefix("#endif"), !conditions.isEmpty {
                conditions.removeLast()
            } else if let module = importedPlatformModule(trimmed), conditions.last?.contains("canImport(\(module))") != true {
                found.append(trimmed)
            }
        }
        return found
    }

    /// The platform module an import line names, whatever its attributes and access level.
    private static func importedPlatformModule(_ line: String) -> String? {
        let words = line.split(separator: " ")
        guard let index = words.firstIndex(of: "import"), index + 1 < words.count else { return nil }
        let module = String(words[index + 1])
        return modules.contains(module) ? module : nil
    }
}

@Suite("House rules")
struct HouseRulesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every Swift target of the package, read from `swift package dump-package` (with a
    /// scratch path of its own, so a running build's lock does not matter).
    static func packageTargets() throws -> [TargetFacts] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-house-rules-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let swift = Process()
        swift.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        swift.arguments = ["swift", "package", "--package-path", root.path, "--scratch-path", scratch.path, "dump-package"]
        // The whole package, also when the suite runs in Scripts/sanitize's subset of it.
        swift.environment = ProcessInfo.processInfo.environment.filter { $0.key != "SLUICE_IN_PROCESS_SUITES" }
        let output = Pipe()
        swift.standardOutput = output
        try swift.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        swift.waitUntilExit()
        let manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let targets = manifest["targets"] as? [[String: Any]] ?? []
        return try targets.compactMap { target in
            guard let name = target["name"] as? String, let type = target["type"] as? String, type != "system" else { return nil }
            let folder = (target["path"] as? String) ?? ((type == "test" ? "Tests/" : "Sources/") + name)
            let declared = (target["dependencies"] as? [[String: Any]] ?? []).compactMap { dependency in
                dependency.values.first.flatMap { ($0 as? [Any])?.first as? String }
            }
            return TargetFacts(name: name, declared: declared, imported: try importedModules(under: root.appendingPathComponent(folder)))
        }
    }

    /// The modules the Swift files below `folder` import.
    static func importedModules(under folder: URL) throws -> Set<String> {
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        return try files.reduce(into: Set<String>()) { modules, file in
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            modules.formUnion(VendoringTests.importedModules(in: text))
        }
    }

    @Test(
        "the package keeps the house rules: core depends on nothing, the server side on the core alone, no adapter on another, no dependency declared and unused"
    )
    func packageKeepsTheRules() throws {
        let targets = try Self.packageTargets()
        #expect(targets.contains { $0.name == "Sluice" } && targets.contains { $0.name == "SluiceHTTP" }, "dump-package gave \(targets.map(\.name))")
        #expect(HouseRules.violations(in: targets) == [])
    }

    @Test("every platform import is conditional: Glibc, Musl and Darwin only under #if canImport of each, in Sources and Examples")
    func platformImportsAreConditional() throws {
        var unguarded: [String] = []
        for folder in ["Sources", "Examples"] {
            let directory = Self.root.appendingPathComponent(folder)
            // Not what a build fetched or made (Examples/Frameworks/.build/checkouts…): ours only.
            let files = try FileManager.default.subpathsOfDirectory(atPath: directory.path).filter {
                $0.hasSuffix(".swift") && !$0.split(separator: "/").contains { $0.hasPrefix(".") }
            }
            #expect(!files.isEmpty, "no Swift files under \(folder)")
            for file in files.sorted() {
                let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                unguarded += PlatformImports.unguarded(in: text).map { "\(folder)/\(file): \($0)" }
            }
        }
        #expect(unguarded == [])
    }

    @Test("the platform-import rule catches an unconditional import, and one under another condition")
    func platformImportRuleCatchesViolations() {
        let guarded = "#if canImport(Glibc)\nimport Glibc\n#elseif canImport(Musl)\nimport Musl\n#elseif canImport(Darwin)\nimport Darwin\n#endif\n"
        #expect(PlatformImports.unguarded(in: guarded) == [])
        #expect(PlatformImports.unguarded(in: "import Sluice\nimport Glibc\n") == ["import Glibc"])
        #expect(PlatformImports.unguarded(in: "#if os(Linux)\n@preconcurrency import Glibc\n#endif\n") == ["@preconcurrency import Glibc"])
        #expect(PlatformImports.unguarded(in: "#if canImport(Glibc)\nimport Glibc\n#else\nimport Darwin\n#endif\n") == ["import Darwin"])
        #expect(PlatformImports.unguarded(in: "#if os(Linux)\n#if canImport(Glibc)\nimport Glibc\n#endif\n#endif\n") == [])
    }

    @Test("each rule catches its violation")
    func rulesCatchViolations() {
        let broken = [
            TargetFacts(name: "Sluice", declared: ["NIOCore"], imported: ["NIOCore"]),
            TargetFacts(name: "SluiceFastCGI", declared: ["Sluice", "SluiceHTTP"], imported: ["Sluice", "SluiceHTTP"]),
            TargetFacts(name: "SluiceDev", declared: ["Sluice", "ArgumentParser"], imported: ["ArgumentParser"]),
            TargetFacts(name: "SluiceCGIWire", declared: ["Sluice", "SluiceGateway", "Logging"], imported: ["Sluice", "SluiceGateway", "Logging"]),
        ]
        #expect(
            HouseRules.violations(in: broken) == [
                "the core declares dependencies: [\"NIOCore\"]",
                "the adapter SluiceFastCGI imports SluiceHTTP",
                "SluiceDev declares Sluice and imports it nowhere",
                "the server-side module SluiceCGIWire declares dependencies beyond [\"Sluice\", \"SluiceGateway\"]: [\"Logging\", \"Sluice\", \"SluiceGateway\"]",
            ])
        #expect(HouseRules.violations(in: [TargetFacts(name: "SluiceCGI", declared: ["Sluice"], imported: ["Sluice", "Glibc"])]) == [])
    }
}
