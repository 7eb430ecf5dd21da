// A FastCGI responder that reports what it received, for SluiceFastCGITests to run behind
// real front servers and to talk to with raw FastCGI records.
//
// Arguments: FastCGIConfiguration's options (--listen, --mount, --workers, ...).
// Paths (below the mount):
//   /download?bytes=N  N bytes (a repeating pattern) in 64 KiB writes, with Content-Length
//   /stream            "first", flush, a pause (?ms=, default 1000), "second"; X-Accel-Buffering: no
//   /trickle?count=N&ms=M  N numbered lines M ms apart, each flushed (default 5 and 300)
//   /upload            reads the body and answers its length (no hashing: fast for big bodies)
//   /sleep?ms=N        answers "slept" after N ms
//   /fail              throws before responding
//   /fail-midway       sends part of a body, then throws
//   /log               writes "battery log line" to the error log
//   /disconnections    how many requests so far completed with ClientDisconnected
//   /memory            the process's peak resident size (VmHWM) in KiB
//   anything else      the echo report: one `key: value` line per fact, the body read and hashed

import Glibc
import Sluice
import SluiceFastCGI
import Synchronization

/// Requests whose completion hooks saw the client go away (Spec LIFE-4).
let disconnections = Atomic<Int>(0)

/// FNV-1a, 64 bits: the tests hash what they sent the same way.
func fnv1a(_ hash: inout UInt64, _ bytes: [UInt8]) {
    for byte in bytes {
        hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
}

/// The value of a `name=value` pair in the query, as a number.
func number(_ name: String, in request: Request, default fallback: Int) -> Int {
    for pair in request.queryString.split(separator: "&") where pair.hasPrefix(name + "=") {
        if let value = Int(pair.dropFirst(name.count + 1)) { return value }
    }
    return fallback
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
        "isConcurrent: \(request.capabilities.isConcurrent)",
        "pid: \(getpid())",
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

/// The peak resident set size of this process, from /proc/self/status.
func peakResidentKiB() -> String {
    guard let file = fopen("/proc/self/status", "r") else { return "unknown" }
    defer { fclose(file) }
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.hasPrefix("VmHWM:") {
            return text.dropFirst(6).filter(\.isNumber)
        }
    }
    return "unknown"
}

/// `count` bytes of a repeating pattern, written in 64 KiB pieces.
func download(_ count: Int) -> Response {
    let piece = (0..<65536).map { UInt8(truncatingIfNeeded: $0 % 251) }
    return Response(headers: ["Content-Type": "application/octet-stream"], body: ResponseBody(length: count) { writer in
        var left = count
        while left > 0 {
            let size = min(left, piece.count)
            try await writer.write(size == piece.count ? piece : Array(piece.prefix(size)))
            left -= size
        }
    })
}

struct BatteryFailure: Error {}

let battery = App { request in
    request.context.onCompletion { completion in
        if completion.clientDisconnected {
            disconnections.add(1, ordering: .relaxed)
            request.errorLog.write("battery: completion saw ClientDisconnected for \(request.target)")
        }
    }
    switch request.pathInfo {
    case "/download":
        return download(number("bytes", in: request, default: 0))
    case "/stream":
        let pause = number("ms", in: request, default: 1000)
        return Response(headers: ["Content-Type": "text/plain", "X-Accel-Buffering": "no"], body: ResponseBody { writer in
            try await writer.write("first\n")
            try await writer.flush()
            try await Task.sleep(for: .milliseconds(pause))
            try await writer.write("second\n")
        })
    case "/trickle":
        let count = number("count", in: request, default: 5)
        let pause = number("ms", in: request, default: 300)
        return Response(headers: ["Content-Type": "text/plain", "X-Accel-Buffering": "no"], body: ResponseBody { writer in
            for line in 1...max(1, count) {
                try await writer.write("line \(line)\n")
                try await writer.flush()
                try await Task.sleep(for: .milliseconds(pause))
            }
        })
    case "/upload":
        var length = 0
        for try await chunk in request.body {
            length += chunk.count
        }
        return .text("bodyLength: \(length)\n")
    case "/sleep":
        try await Task.sleep(for: .milliseconds(number("ms", in: request, default: 0)))
        return .text("slept\n")
    case "/fail":
        throw BatteryFailure()
    case "/fail-midway":
        return Response(headers: ["Content-Type": "text/plain"], body: ResponseBody { writer in
            try await writer.write("partial\n")
            try await writer.flush()
            throw BatteryFailure()
        })
    case "/log":
        request.errorLog.write("battery log line")
        return .text("logged\n")
    case "/disconnections":
        return .text("\(disconnections.load(ordering: .relaxed))\n")
    case "/memory":
        return .text("\(peakResidentKiB())\n")
    default:
        return .text(try await report(request))
    }
}

FastCGI.main(battery, commandLine: CommandLine.arguments.dropFirst())
