// The battery's responses that take more than a line: streams, downloads, failures.

import Sluice

/// Builders of the battery's longer responses.
enum Routes {
    /// Headers of a streamed text response; `X-Accel-Buffering: no` stops nginx buffering it.
    static let streamingHeaders: Headers = ["Content-Type": "text/plain", "X-Accel-Buffering": "no"]

    /// "first", flushed, then "second" after `pause` milliseconds.
    static func stream(pause: Int) -> Response {
        Response(
            headers: streamingHeaders,
            body: .stream { writer in
                try await writer.write("first\n")
                try await writer.flush()
                try await Task.sleep(for: .milliseconds(pause))
                try await writer.write("second\n")
            })
    }

    /// `chunks` numbered lines `pause` milliseconds apart, each flushed.
    static func slow(chunks: Int, pause: Int) -> Response {
        Response(
            headers: streamingHeaders,
            body: .stream { writer in
                for index in 1...max(1, chunks) {
                    try await writer.write("chunk \(index)\n")
                    try await writer.flush()
                    try await Task.sleep(for: .milliseconds(pause))
                }
            })
    }

    /// `count` bytes repeating a–z, written in 64 KiB pieces, the length declared.
    static func download(bytes count: Int) -> Response {
        let block = (0..<65_536).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        return Response(
            headers: ["Content-Type": "application/octet-stream"],
            body: .stream(length: count) { writer in
                var sent = 0
                while sent < count {
                    let size = min(block.count, count - sent)
                    try await writer.write(size == block.count ? block : Array(block[..<size]))
                    sent += size
                }
            })
    }

    /// The length of the request's body, read to its end.
    static func bodyLength(of request: Request) async throws -> Int {
        var length = 0
        for try await chunk in request.body {
            length += chunk.count
        }
        return length
    }

    /// Part of a body, flushed, then a throw: the response cannot end normally (Spec ERR-2).
    static func failMidway() -> Response {
        Response(
            headers: ["Content-Type": "text/plain"],
            body: .stream { writer in
                try await writer.write("partial\n")
                try await writer.flush()
                throw BatteryFailure()
            })
    }

    /// A WebSocket that echoes text and binary messages.
    static func webSocketEcho() -> Response {
        .webSocket { socket in
            for try await message in socket.messages where message.isData {
                try await socket.send(message)
            }
        }
    }

    /// Waits `pause` milliseconds in a task of its own, which the request's cancellation
    /// does not reach: an application stuck in work that ignores cancellation (Spec LIFE-6).
    static func ignoringCancellation(pause: Int) async {
        await Task.detached { try? await Task.sleep(for: .milliseconds(pause)) }.value
    }

    /// Its head and a flushed line, then a wait that cancellation does not cut short.
    static func stuckMidway(pause: Int) -> Response {
        Response(
            headers: streamingHeaders,
            body: .stream { writer in
                try await writer.write("started\n")
                try await writer.flush()
                await ignoringCancellation(pause: pause)
                try await writer.write("finished\n")
            })
    }
}
