import Foundation
import Testing

/// Sources/Sluice must build from its folder alone, with nothing but the Swift toolchain:
/// users vendor Sluice by copying that folder.
@Suite("Vendoring")
struct VendoringTests {
    @Test("Sources/Sluice compiles alone with swiftc and imports nothing beyond the standard library: no Foundation, no C library")
    func compilesAlone() throws {
        let folder = HouseRulesTests.root.appendingPathComponent("Sources/Sluice")
        let sources = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".swift") }
            .map { folder.appendingPathComponent($0).path }
        #expect(!sources.isEmpty)

        for source in sources {
            let text = try String(contentsOfFile: source, encoding: .utf8)
            #expect(!text.contains("import Foundation"), "\(source) imports Foundation")
            for module in Self.importedModules(in: text) {
                #expect(Self.standardLibraryModules.contains(module), "\(source) imports \(module), which is not part of the standard library")
            }
        }

        let output = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-vendoring-\(getpid())")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }

        let swiftc = Process()
        swiftc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // -package-name: the core shares a few helpers with the adapters at `package` access;
        // a vendored copy compiled on its own names any package.
        swiftc.arguments =
            [
                "swiftc", "-parse-as-library", "-swift-version", "6", "-module-name", "Sluice", "-package-name", "Sluice",
                "-emit-module", "-emit-library", "-static",
                "-emit-module-path", output.appendingPathComponent("Sluice.swiftmodule").path,
                "-o", output.appendingPathComponent("libSluice.a").path,
            ] + sources
        let errors = Pipe()
        swiftc.standardError = errors
        swiftc.standardOutput = errors
        try swiftc.run()
        let diagnostics = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        swiftc.waitUntilExit()
        #expect(swiftc.terminationStatus == 0, "swiftc failed:\n\(diagnostics)")
        #expect(!diagnostics.contains("warning:"), "swiftc warned:\n\(diagnostics)")
    }

    @Test("Sources/Sluice holds no unsafe pointer code: the bit-level work is the server side's (Docs/architecture.md)")
    func noUnsafeCode() throws {
        let folder = HouseRulesTests.root.appendingPathComponent("Sources/Sluice")
        let pattern = try Regex("Unsafe(Mutable)?(Raw)?(Buffer)?Pointer|loadUnaligned|unsafeUninitializedCapacity|unsafeBitCast|Unmanaged")
        for file in try FileManager.default.subpathsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(text.firstMatch(of: pattern) == nil, "Sources/Sluice/\(file) uses \(text.firstMatch(of: pattern).map { String(text[$0.range]) } ?? "")")
        }
    }

    /// The modules the Swift standard library ships, which every toolchain has on every platform.
    static let standardLibraryModules: Set<String> = ["Swift", "_Concurrency", "Synchronization", "_StringProcessing"]

    /// The module each import declaration in `text` names, with any access level or attribute
    /// before it; `#if canImport` guards do not hide one.
    static func importedModules(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
            let keyword = ["public", "package", "internal", "fileprivate", "private"].contains(words.first ?? "") ? 1 : 0
            guard words.count > keyword + 1, words[keyword] == "import" else { return nil }
            return String(words[keyword + 1].split(separator: ".").first ?? "")
        }
    }
}
