// schemathesis, the OpenAPI fuzzer from PyPI, run against a served API (Scripts/install-schemathesis).

import Foundation
import IntegrationSupport
import Testing

/// The schemathesis that `Scripts/install-schemathesis` installed, run as one process per check.
enum Schemathesis {
    /// This repository's root: four folders above the one of this file.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Where `Scripts/install-schemathesis` links the executable.
    static let executable = repositoryRoot.appendingPathComponent(".build-tools/bin/schemathesis").path

    /// Ends the test unless schemathesis is installed: on CI (`CI=true`) with a failure,
    /// elsewhere by cancelling it with the command that installs it.
    static func require() throws {
        guard !FileManager.default.isExecutableFile(atPath: executable) else { return }
        let reason = "not installed: schemathesis (Scripts/install-schemathesis)"
        if FrontServer.missingProgramsFailTheRun { throw HarnessError("CI=true and \(reason)") }
        try Test.cancel(Comment(rawValue: reason))
    }

    /// Runs every check schemathesis has, in every phase, against the API at `baseURL`
    /// described by `schema`; returns its exit status and its report.
    ///
    /// Deterministic (a fixed seed, one worker) so that a failure can be reproduced with the
    /// same command, which the report starts with.
    ///
    /// - Parameter configuration: A schemathesis.toml to read, for settings a deployment needs.
    static func run(
        schema: URL, baseURL: String, configuration: URL? = nil, in directory: TemporaryDirectory
    ) async throws -> (status: IntegrationSupport.ExitStatus?, report: String) {
        let arguments =
            (configuration.map { ["--config-file", $0.path] } ?? []) + [
                "run", schema.path, "--url", baseURL,
                "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful",
                "--max-examples", "40", "--seed", "20261207", "--workers", "1",
                "--request-timeout", "20", "--generation-database", "none", "--no-color",
            ]
        let process = try ManagedProcess(
            name: "schemathesis", executable: executable, arguments: arguments, workingDirectory: directory.url
        )
        let status = try await process.waitForExit(timeout: .seconds(600))
        let output = (try? String(contentsOf: process.standardOutputLog, encoding: .utf8)) ?? ""
        return (status, "schemathesis \(arguments.joined(separator: " "))\n\(output)\n\(process.logReport())")
    }
}
