// Running a short Python 3 script as a client.

import Foundation
import IntegrationSupport

/// A Python 3 script run with `python3 -c`, its standard output returned.
enum PythonScript {
    static func run(_ script: String) async throws -> String {
        let directory = try TemporaryDirectory(label: "python")
        let process = try ManagedProcess(name: "python3", executable: "python3", arguments: ["-c", script], workingDirectory: directory.url)
        let status = try await process.waitForExit(timeout: .seconds(20))
        guard status == .exited(code: 0) else {
            throw HarnessError("python3 \(status.map(\.description) ?? "did not end")\n\(process.logReport())")
        }
        return String(decoding: try Data(contentsOf: process.standardOutputLog), as: UTF8.self)
    }
}
