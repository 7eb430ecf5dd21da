// A CGI program whose application leaves the body unread still reads it off stdin before it
// exits: under Apache's mod_cgid, exiting with unread bytes on the stdin socket resets it and
// loses the response (Spec BODY-5, found by the conformance suite's body-unread case).

import Foundation
import Testing

@Suite("CGI: an unread request body")
struct UnreadBodyTests {
    @Test("[BODY-5] [CGI-9] a body the application ignores is read off stdin up to CONTENT_LENGTH, never past it")
    func unreadBodyIsDrained() throws {
        var environment = ProgramTests.request
        environment["PATH_INFO"] = "/memory"
        environment["REQUEST_URI"] = "/app/memory"
        environment["CONTENT_LENGTH"] = "1000"
        let consumed = try stdinConsumed(by: environment, input: [UInt8](repeating: 0x61, count: 1500))
        #expect(consumed == 1000)
    }

    /// Runs CGIBattery with `input` in a file on stdin and returns the file's offset after it
    /// exits: the child shares the open file description, so its reads move the offset.
    private func stdinConsumed(by environment: [String: String], input: [UInt8]) throws -> UInt64 {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-cgi-unread-\(UUID().uuidString)")
        try Data(input).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let stdin = try FileHandle(forReadingFrom: file)
        defer { try? stdin.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProgram("CGIBattery").path)
        process.environment = environment
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try stdin.offset()
    }
}
