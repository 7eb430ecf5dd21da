// Runs CGI.serve in-process against real file descriptors: a file as standard input, a file
// or pipe as standard output, so tests see exactly the bytes a server would.

import Foundation
import Glibc
import Sluice
import SluiceCGI
import SluiceCGIWire
import Synchronization

/// One run of ``CGI/serve(_:environment:input:output:errorLog:limits:)`` and what it produced.
struct CGIExchange {
    /// The exit status serve returned.
    var exitStatus: Int32
    /// Everything written to standard output.
    var output: [UInt8]
    /// The error-log messages, in order.
    var log: [String]
    /// How far into standard input the adapter read.
    var inputOffset: Int

    /// The CGI variables of a plain request; tests add or override entries.
    static let baseEnvironment: [(String, String)] = [
        ("GATEWAY_INTERFACE", "CGI/1.1"), ("REQUEST_METHOD", "GET"), ("SCRIPT_NAME", "/app"),
        ("PATH_INFO", "/x"), ("REQUEST_URI", "/app/x"), ("QUERY_STRING", ""), ("SERVER_NAME", "localhost"),
        ("SERVER_PORT", "80"), ("SERVER_PROTOCOL", "HTTP/1.1"), ("REMOTE_ADDR", "127.0.0.1"),
    ]

    /// Runs `application` for a request of `variables` (over ``baseEnvironment``; a nil value
    /// removes one) with `input` on standard input, standard output a file.
    static func run(
        _ application: some Application,
        _ variables: [String: String?] = [:],
        input: [UInt8] = [],
        limits: CGILimits = CGILimits(),
        onlyVariables: Bool = false
    ) async -> CGIExchange {
        let stdin = TemporaryFile(holding: input)
        let stdout = TemporaryFile(holding: [])
        let log = Mutex<[String]>([])
        let status = await CGI.serve(
            application,
            environment: environment(variables, onlyVariables: onlyVariables),
            input: stdin.descriptor,
            output: dup(stdout.descriptor),
            errorLog: ErrorLog { message in log.withLock { $0.append(message) } },
            limits: limits
        )
        return CGIExchange(
            exitStatus: status, output: stdout.contents(), log: log.withLock { $0 }, inputOffset: stdin.offset
        )
    }

    /// The meta-variables: ``baseEnvironment`` with `changes` applied, or only `changes`.
    static func environment(_ changes: [String: String?], onlyVariables: Bool = false) -> MetaVariables {
        var pairs = onlyVariables ? [] : baseEnvironment.filter { changes[$0.0] == nil }
        pairs += changes.sorted { $0.key < $1.key }.compactMap { name, value in value.map { (name, $0) } }
        return MetaVariables(pairs)
    }

    /// The header block as text, without its closing empty line, or nil when there is none.
    var head: String? {
        let text = String(decoding: output, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        return String(text[..<end.lowerBound])
    }

    /// The header lines.
    var headLines: [String] { head.map { $0.components(separatedBy: "\r\n") } ?? [] }

    /// The status code of the `Status:` line.
    var status: Int? {
        headLines.first { $0.hasPrefix("Status: ") }.flatMap { Int($0.dropFirst(8).prefix(3)) }
    }

    /// The body: everything after the header block.
    var body: String {
        let text = String(decoding: output, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return "" }
        return String(text[end.upperBound...])
    }
}

/// An unlinked temporary file, open for reading and writing.
final class TemporaryFile: Sendable {
    let descriptor: Int32

    init(holding bytes: [UInt8]) {
        var template = Array("/tmp/sluice-cgi-XXXXXX".utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        precondition(descriptor >= 0, "mkstemp failed")
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        bytes.withUnsafeBytes { _ = write(descriptor, $0.baseAddress, $0.count) }
        lseek(descriptor, 0, SEEK_SET)
    }

    /// The current read position.
    var offset: Int { Int(lseek(descriptor, 0, SEEK_CUR)) }

    /// The file's size.
    var size: Int {
        var info = stat()
        fstat(descriptor, &info)
        return Int(info.st_size)
    }

    /// The whole file.
    func contents() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = max(0, pread(descriptor, buffer.baseAddress, buffer.count, 0))
        }
    }

    deinit { close(descriptor) }
}

extension Array where Element == UInt8 {
    /// `count` bytes of a repeating pattern, so that misplaced bytes show.
    static func pattern(count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
    }
}
