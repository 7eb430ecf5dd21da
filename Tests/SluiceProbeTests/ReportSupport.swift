// Reading the probe's JSON in tests.

import Foundation
import SluiceTesting
import Testing

/// The probe's JSON answer as Foundation objects.
struct Report {
    let object: [String: Any]

    init(_ response: TestResponse) throws {
        object = try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    subscript(key: String) -> Any? { object[key] }

    func string(_ key: String) -> String? { object[key] as? String }

    func number(_ key: String) -> Int? { object[key] as? Int }

    func member(_ key: String) -> [String: Any] { object[key] as? [String: Any] ?? [:] }

    /// The `headers` member as pairs.
    var headers: [[String]] { object["headers"] as? [[String]] ?? [] }
}

/// `count` bytes that are not a repeating 64-byte block, so digests cover block boundaries.
func sampleBytes(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 % 251) }
}

/// The SHA-256 of `bytes` as coreutils' `sha256sum` computes it: an independent check.
func sha256sum(_ bytes: [UInt8]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    // The digest is written only after all input is read, so writing first cannot deadlock.
    input.fileHandleForWriting.write(Data(bytes))
    try input.fileHandleForWriting.close()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(text.prefix(64))
}
