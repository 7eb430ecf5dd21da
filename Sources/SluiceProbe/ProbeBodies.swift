// The bodies the probe sends instead of its report: a pattern stream, an echo, a failure.

import Sluice

/// Response bodies for the probe's `stream`, `echo` and `fail: after-head` options.
enum ProbeBodies {
    /// The longest single write: a large stream goes out in pieces, never as one buffer.
    static let largestWrite = 65_536

    /// The pattern repeated past the longest write, so any offset starts a slice of it.
    private static let pattern: [UInt8] = (0..<(largestWrite + 26)).map { UInt8(ascii: "a") + UInt8($0 % 26) }

    /// `bytes` bytes of the pattern (byte *i* is `a` + *i* mod 26), in `chunks` nearly equal
    /// chunks, each flushed, with `delay` milliseconds between them.
    static func pattern(bytes: Int, chunks: Int, delay: Int, declaresLength: Bool) -> Response {
        var headers: Headers = ["Content-Type": "application/octet-stream"]
        if declaresLength { headers["Content-Length"] = String(bytes) }
        return Response(
            headers: headers,
            body: ResponseBody(length: declaresLength ? bytes : nil) { writer in
                var offset = 0
                for index in 0..<chunks {
                    if index > 0, delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
                    let end = offset + bytes / chunks + (index < bytes % chunks ? 1 : 0)
                    while offset < end {
                        let count = min(largestWrite, end - offset)
                        let start = offset % 26
                        try await writer.write(Array(pattern[start..<(start + count)]))
                        offset += count
                    }
                    try await writer.flush()
                }
            })
    }

    /// The request body sent back chunk by chunk as it arrives, each chunk flushed.
    static func echo(_ body: RequestBody, declaresLength: Bool) -> Response {
        let length = declaresLength ? body.expectedLength : nil
        var headers: Headers = ["Content-Type": "application/octet-stream"]
        if let length { headers["Content-Length"] = String(length) }
        return Response(
            headers: headers,
            body: ResponseBody(length: length) { writer in
                for try await chunk in body {
                    try await writer.write(chunk)
                    try await writer.flush()
                }
            })
    }

    /// A body that writes and flushes a line, then throws: the response is aborted (Spec ERR-2).
    static func failingAfterHead() -> Response {
        Response(
            headers: ["Content-Type": "text/plain"],
            body: ResponseBody { writer in
                try await writer.write("partial\n")
                try await writer.flush()
                throw ProbeFailure(stage: "after-head")
            })
    }
}
