// Runs the CGI programs this package builds (CGIBattery, CGIHello) as a server would:
// a crafted environment, a body on standard input, output and errors captured.

import Foundation

/// A program built beside the test bundle.
struct BuiltProgram {
    /// The executable's path.
    let path: String

    /// The program `name` from the directory the test bundle was built into; `swift build
    /// --build-tests` (which Scripts/test runs) builds it there.
    init(_ name: String) throws {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        path = directory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MissingProgram(description: "\(path) is not built: run `swift build --build-tests` first")
        }
    }

    /// What one run produced.
    struct Run {
        var exitStatus: Int32
        var output: String
        var errors: String
    }

    /// Runs the program with exactly `environment` and `input` on standard input.
    func run(environment: [String: String], input: [UInt8] = []) throws -> Run {
        let stdin = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-cgi-stdin-\(UUID().uuidString)")
        try Data(input).write(to: stdin)
        defer { try? FileManager.default.removeItem(at: stdin) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.environment = environment
        process.standardInput = try FileHandle(forReadingFrom: stdin)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            exitStatus: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self)
        )
    }

    struct MissingProgram: Error, CustomStringConvertible {
        let description: String
    }
}
