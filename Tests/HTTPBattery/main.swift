// A standalone server that reports what it received, for SluiceHTTPTests to run as a process.
//
// Flags: HTTPServerConfiguration's (see HTTPServerConfiguration.usage), plus
// --fail-startup (startup() throws) and --shutdown-marker PATH (shutdown() writes PATH).
//
// Paths:
//   /stream               writes a line, flushes, waits a second, writes another
//   /slow?chunks=N        N lines 200 ms apart, each flushed
//   /download?bytes=N     N bytes (repeating a–z) in 64 KiB writes, length declared
//   /memory               this process's peak and current resident set, in KiB
//   /fail                 throws before responding
//   anything else         the echo report: one `key: value` line per fact, body read and hashed

import Glibc
import Sluice
import SluiceHTTP

/// FNV-1a, 64 bits: the tests hash what they sent the same way.
func fnv1a(_ hash: inout UInt64, _ bytes: [UInt8]) {
    for byte in bytes {
        hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
}

/// Every fact the tests compare, as lines.
func report(_ request: Request) async throws -> String {
    var lines = [
        "method: \(request.method)",
        "target: \(request.target)",
        "scriptName: \(request.scriptName)",
        "pathInfo: \(request.pathInfo)",
        "queryString: \(request.queryString)",
        "serverName: \(request.serverName)",
        "serverPort: \(request.serverPort)",
        "serverProtocol: \(request.serverProtocol)",
        "remoteAddress: \(request.remoteAddress)",
        "remotePort: \(request.remotePort.map(String.init) ?? "none")",
        "expectedLength: \(request.body.expectedLength.map(String.init) ?? "unknown")",
    ]
    lines += request.headers.map { "header: \($0.name): \($0.value)" }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    var length = 0
    for try await chunk in request.body {
        length += chunk.count
        fnv1a(&hash, chunk)
    }
    lines += ["bodyLength: \(length)", "bodyFNV1a: \(String(hash, radix: 16))"]
    return lines.joined(separator: "\n") + "\n"
}

/// The value of `name` in a query string, as a number.
func number(_ name: String, in query: String) -> Int? {
    query.split(separator: "&").lazy.compactMap { pair -> Int? in
        let parts = pair.split(separator: "=", maxSplits: 1)
        return parts.count == 2 && parts[0] == name ? Int(parts[1]) : nil
    }.first
}

/// `VmHWM` and `VmRSS` from /proc/self/status.
func memoryReport() -> String {
    guard let file = fopen("/proc/self/status", "r") else { return "unavailable\n" }
    defer { fclose(file) }
    var lines: [String] = []
    var buffer = [CChar](repeating: 0, count: 256)
    while fgets(&buffer, Int32(buffer.count), file) != nil {
        let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if line.hasPrefix("VmHWM:") || line.hasPrefix("VmRSS:") {
            lines.append(line.filter { !$0.isWhitespace && $0 != "k" && $0 != "B" }.replacingColons())
        }
    }
    return lines.joined(separator: "\n") + "\n"
}

extension String {
    /// `VmHWM:1234` as `VmHWM: 1234`.
    func replacingColons() -> String {
        split(separator: ":", maxSplits: 1).joined(separator: ": ")
    }
}

struct BatteryFailure: Error {}

var arguments = Array(CommandLine.arguments.dropFirst())
let failsStartup = arguments.contains("--fail-startup")
arguments.removeAll { $0 == "--fail-startup" }
var shutdownMarker: String?
if let index = arguments.firstIndex(of: "--shutdown-marker"), index + 1 < arguments.count {
    shutdownMarker = arguments[index + 1]
    arguments.removeSubrange(index...(index + 1))
}

let battery = App(
    startup: {
        if failsStartup { throw BatteryFailure() }
    },
    shutdown: { [shutdownMarker] in
        if let shutdownMarker, let file = fopen(shutdownMarker, "w") { fclose(file) }
    }
) { request in
    switch request.pathInfo {
    case "/stream":
        return Response(headers: ["Content-Type": "text/plain"], body: .stream { writer in
            try await writer.write("first\n")
            try await writer.flush()
            try await Task.sleep(for: .seconds(1))
            try await writer.write("second\n")
        })
    case "/slow":
        let chunks = number("chunks", in: request.queryString) ?? 5
        return Response(headers: ["Content-Type": "text/plain"], body: .stream { writer in
            for index in 1...chunks {
                try await writer.write("chunk \(index)\n")
                try await writer.flush()
                try await Task.sleep(for: .milliseconds(200))
            }
        })
    case "/download":
        let total = number("bytes", in: request.queryString) ?? 0
        return Response(headers: ["Content-Type": "application/octet-stream"], body: .stream(length: total) { writer in
            let block = (0..<65_536).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            var sent = 0
            while sent < total {
                let count = min(block.count, total - sent)
                try await writer.write(count == block.count ? block : Array(block[..<count]))
                sent += count
            }
        })
    case "/memory":
        return .text(memoryReport())
    case "/fail":
        throw BatteryFailure()
    default:
        return .text(try await report(request))
    }
}

exit(await HTTPServer.runFromCommandLine(battery, arguments: arguments))
