// A CGI program that reports what it received, for SluiceCGITests to run under real servers.
//
// Paths (below wherever the server mounts it):
//   /stream           writes a line, flushes, waits a second, writes another
//   /local-redirect   a local redirect (RFC 3875 section 6.2.2) to /echo?redirected=1
//   /client-redirect  302 to http://example.invalid/elsewhere
//   /fail             throws before responding
//   anything else     the echo report: one `key: value` line per fact, body read and hashed;
//                     the header X-Seen-Method names the method it saw

import Glibc
import Sluice
import SluiceCGI

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
        "expectedLength: \(request.body.expectedLength.map(String.init) ?? "unknown")",
        "environment HTTP_PROXY: \(getenv("HTTP_PROXY").map { String(cString: $0) } ?? "absent")",
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

struct BatteryFailure: Error {}

let battery = App { request in
    switch request.pathInfo {
    case "/stream":
        return Response(headers: ["Content-Type": "text/plain"], body: .stream { writer in
            try await writer.write("first\n")
            try await writer.flush()
            try await Task.sleep(for: .seconds(1))
            try await writer.write("second\n")
        })
    case "/local-redirect":
        return .localRedirect(to: "\(request.scriptName)/echo?redirected=1")
    case "/client-redirect":
        return Response(status: .found, headers: ["Location": "http://example.invalid/elsewhere"])
    case "/fail":
        throw BatteryFailure()
    default:
        var response = Response.text(try await report(request))
        // A HEAD response has no body: the header shows the method the program saw.
        response.headers.append(name: "X-Seen-Method", value: request.method.rawValue)
        return response
    }
}

CGI.main(battery)
