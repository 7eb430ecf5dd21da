// The echo report: every fact about a request the tests compare, one `key: value` per line.

import Glibc
import Sluice

/// The report of `request`, its body read and hashed with FNV-1a, the way the tests hash what
/// they sent.
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
        "isConcurrent: \(request.capabilities.isConcurrent)",
        "pid: \(getpid())",
        // A CGI program must not see the client's Proxy header as HTTP_PROXY (httpoxy).
        "environment HTTP_PROXY: \(getenv("HTTP_PROXY").map { String(cString: $0) } ?? "absent")",
    ]
    lines += request.headers.map { "header: \($0.name): \($0.value)" }
    var hash = FNV1a()
    var length = 0
    for try await chunk in request.body {
        length += chunk.count
        hash.add(chunk)
    }
    lines += ["bodyLength: \(length)", "bodyFNV1a: \(hash.hexDigest)"]
    return lines.joined(separator: "\n") + "\n"
}

/// FNV-1a, 64 bits.
struct FNV1a {
    private var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: [UInt8]) {
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
    }

    var hexDigest: String { String(hash, radix: 16) }
}
