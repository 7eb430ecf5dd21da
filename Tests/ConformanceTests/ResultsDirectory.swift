// ResultsDirectory.swift — where the conformance tests leave their reports for
// Scripts/conformance-matrix to turn into Docs/conformance.md.

import Foundation
import SluiceConformance

/// The directory the reports are written to: `SLUICE_CONFORMANCE_RESULTS`, or
/// `.build/conformance-results` in the package.
enum ResultsDirectory {
    static var url: URL {
        if let path = ProcessInfo.processInfo.environment["SLUICE_CONFORMANCE_RESULTS"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        return packageRoot.appendingPathComponent(".build/conformance-results", isDirectory: true)
    }

    /// The package's root: three levels above this file (Tests/ConformanceTests/…).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Writes `report` as `N-<deployment>.json`, N being the deployment's place in the
    /// matrix, so the script reads the columns in order; creates the directory first.
    /// Returns the file's location.
    @discardableResult
    static func write(_ report: ConformanceReport, for deployment: ProbeDeployment) throws -> URL {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let place = (ProbeDeployment.allCases.firstIndex(of: deployment) ?? 0) + 1
        let file = url.appendingPathComponent("\(place)-\(deployment.rawValue).json")
        try Data(report.json().utf8).write(to: file)
        return file
    }
}
