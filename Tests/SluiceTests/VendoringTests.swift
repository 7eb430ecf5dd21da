import Foundation
import Testing

/// Sources/Sluice must build from its folder alone, with nothing but the Swift toolchain:
/// users vendor Sluice by copying that folder.
@Suite("Vendoring")
struct VendoringTests {
    @Test("Sources/Sluice compiles alone with swiftc, with no package and no Foundation")
    func compilesAlone() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("Sources/Sluice")
        let sources = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".swift") }
            .map { folder.appendingPathComponent($0).path }
        #expect(!sources.isEmpty)

        for source in sources {
            let text = try String(contentsOfFile: source, encoding: .utf8)
            #expect(!text.contains("import Foundation"), "\(source) imports Foundation")
        }

        let output = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-vendoring-\(getpid())")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }

        let swiftc = Process()
        swiftc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        swiftc.arguments = ["swiftc", "-parse-as-library", "-swift-version", "6", "-module-name", "Sluice",
                            "-emit-module", "-emit-library", "-static",
                            "-emit-module-path", output.appendingPathComponent("Sluice.swiftmodule").path,
                            "-o", output.appendingPathComponent("libSluice.a").path] + sources
        let errors = Pipe()
        swiftc.standardError = errors
        swiftc.standardOutput = errors
        try swiftc.run()
        let diagnostics = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        swiftc.waitUntilExit()
        #expect(swiftc.terminationStatus == 0, "swiftc failed:\n\(diagnostics)")
        #expect(!diagnostics.contains("warning:"), "swiftc warned:\n\(diagnostics)")
    }
}
