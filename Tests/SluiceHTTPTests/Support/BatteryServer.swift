// The HTTPBattery program (or another serve(app) program built beside the tests), started as a
// process on a free port.

import Foundation
import IntegrationSupport

/// A running HTTPBattery server (Tests/HTTPBattery) or probe, stopped when the test ends.
struct BatteryServer {
    /// The process.
    let process: ManagedProcess
    /// The port it listens on.
    let port: Int
    /// Its working directory.
    let directory: TemporaryDirectory

    /// Starts `program` (HTTPBattery by default) with `arguments` on a free port (`--http`, by
    /// default 127.0.0.1:PORT) and, unless told otherwise, waits until it listens on 127.0.0.1.
    static func start(
        _ arguments: [String] = [], program name: String = "HTTPBattery", listening address: (Int) -> String = { "127.0.0.1:\($0)" },
        waitsForPort: Bool = true
    ) async throws -> BatteryServer {
        let directory = try TemporaryDirectory(label: "http-battery")
        let port = try LoopbackPort.unused()
        let process = try ManagedProcess(
            name: name, executable: try program(name),
            arguments: ["--http", address(port)] + arguments, workingDirectory: directory.url
        )
        if waitsForPort {
            try await process.waitForPort(port: port)
        }
        return BatteryServer(process: process, port: port, directory: directory)
    }

    /// `http://127.0.0.1:port` followed by `path`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The path of a program built beside the test bundle (`swift build --build-tests`).
    static func program(_ name: String) throws -> String {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw HarnessError("\(path) is not built: run `swift build --build-tests` first")
        }
        return path
    }
}
