// Running a short Python 3 script as a client.

import Foundation
import IntegrationSupport
import Testing

/// A Python 3 script run with `python3`, its standard output returned.
enum PythonScript {
    /// Runs `script`, given as text, with `arguments` (its `sys.argv[1...]`).
    static func run(_ script: String, arguments: [String] = []) async throws -> String {
        try await run(arguments: ["-c", script] + arguments, timeout: .seconds(20))
    }

    /// The script `name` in Tests/SluiceHTTPTests/Scripts.
    static func file(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts").appendingPathComponent(name)
    }

    /// Runs the script in `file` with `arguments`.
    static func run(file: URL, arguments: [String], timeout: Duration) async throws -> String {
        try await run(arguments: [file.path] + arguments, timeout: timeout)
    }

    /// Ends the current test unless `python3` can import `module` (installed from
    /// Scripts/python-requirements.txt by Scripts/install-dependencies): on CI (`CI=true`) with a
    /// failure, elsewhere by cancelling it with the reason.
    static func require(module: String) async throws {
        let directory = try TemporaryDirectory(label: "python")
        let check = try ManagedProcess(name: "python3", executable: "python3", arguments: ["-c", "import \(module)"], workingDirectory: directory.url)
        let status = try await check.waitForExit(timeout: .seconds(20))
        guard status != .exited(code: 0) else { return }
        let reason = "python3 cannot import \(module) (Scripts/install-dependencies installs it)"
        if FrontServer.missingProgramsFailTheRun { throw HarnessError("CI=true and \(reason)") }
        try Test.cancel(Comment(rawValue: reason))
    }

    private static func run(arguments: [String], timeout: Duration) async throws -> String {
        let directory = try TemporaryDirectory(label: "python")
        let process = try ManagedProcess(name: "python3", executable: "python3", arguments: arguments, workingDirectory: directory.url)
        let status = try await process.waitForExit(timeout: timeout)
        guard status == .exited(code: 0) else {
            throw HarnessError("python3 \(status.map(\.description) ?? "did not end")\n\(process.logReport())")
        }
        return String(decoding: try Data(contentsOf: process.standardOutputLog), as: UTF8.self)
    }
}
