// FrontServer+Requirement.swift — what a test does when a program it needs is missing:
// skip it with a visible reason on a developer's machine, fail it on CI.
import Foundation
public import Testing

extension FrontServer {
    /// Whether a missing program fails the run instead of skipping the tests that need
    /// it: true when the environment variable `CI` is `true`, so a CI image that lost a
    /// package cannot turn the integration suite green by skipping all of it.
    public static var missingProgramsFailTheRun: Bool {
        ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true"
    }

    /// Why a test needing `programs` cannot run here — the missing ones and how to
    /// install them — or nil when all of them are installed.
    public static func reasonUnavailable(_ programs: [FrontServer]) -> String? {
        let missing = programs.filter { !$0.isInstalled }
        guard !missing.isEmpty else {
            return nil
        }
        let names = missing.map(\.executableName).joined(separator: ", ")
        let packages = Set(missing.map(\.debianPackage)).sorted().joined(separator: " ")
        return "not installed: \(names) (apt-get install -y \(packages))"
    }

    /// Whether a test needing `programs` can run: true when all are installed; false
    /// when one is missing and the test should be skipped (printing `SKIPPED: <reason>`
    /// to standard error); throws `HarnessError` when one is missing and `CI` is `true`.
    public static func checkInstalled(_ programs: [FrontServer]) throws -> Bool {
        guard let reason = reasonUnavailable(programs) else {
            return true
        }
        if missingProgramsFailTheRun {
            throw HarnessError("CI=true and a program the integration tests need is \(reason)")
        }
        FileHandle.standardError.write(Data("SKIPPED: \(reason)\n".utf8))
        return false
    }

    /// Ends the current test early unless all of `programs` are installed: on CI
    /// (`CI=true`) by throwing `HarnessError`, a failure; elsewhere by cancelling the
    /// test with the reason (`Test.cancel`), which `swift test` reports as
    /// `Test x() was cancelled …: "not installed: …"`.
    ///
    /// Prefer the `.requires(…)` trait; this is for tests that learn what they need
    /// only while running.
    public static func require(_ programs: FrontServer..., sourceLocation: SourceLocation = #_sourceLocation) throws {
        if try !checkInstalled(programs) {
            try Test.cancel(Comment(rawValue: reasonUnavailable(programs) ?? ""), sourceLocation: sourceLocation)
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only when all of `programs` are installed. When one is missing the
    /// test is skipped and `swift test` shows `Test x() skipped: "not installed: …"`;
    /// when the environment variable `CI` is `true` it fails instead.
    ///
    /// ```swift
    /// @Test(.requires(.apache2, .curl))
    /// func pathInfoThroughApache() async throws { … }
    /// ```
    public static func requires(
        _ programs: FrontServer...,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> Self {
        // The comment is fixed when the trait is made, the condition is evaluated when
        // the test is about to run; both read the same file system.
        let reason = FrontServer.reasonUnavailable(programs) ?? "needs \(programs.map(\.executableName).joined(separator: ", "))"
        return .enabled(
            if: try FrontServer.checkInstalled(programs),
            Comment(rawValue: reason),
            sourceLocation: sourceLocation
        )
    }
}
