// Hummingbird response bodies written through a Sluice server: collected when small and of
// known length, streamed with each write sent at once otherwise.

#if Hummingbird
import HTTPTypes
import Hummingbird
import Sluice
import SluiceHTTPTypes

extension Sluice.ResponseBody {
    /// The most bytes of a body of known length that are collected before the head is sent.
    static let collectedLength = 64 * 1024

    /// The Sluice body of a Hummingbird response body.
    ///
    /// A body of known length up to ``collectedLength`` bytes without trailers — a string, a
    /// JSON value, a buffer: most responses — is written into memory first, so the server can
    /// send head and body in one write. Any other body streams: each write goes to the client
    /// at once (a flush, Spec RESP-9), as Hummingbird's own server sends each write, and waits
    /// for the server (backpressure, Spec RESP-15); trailers go with its end (Spec RESP-11).
    static func bridging(_ body: Hummingbird.ResponseBody) async throws -> Sluice.ResponseBody {
        if let length = body.contentLength, length <= collectedLength {
            let collected = CollectedBody()
            try await body.write(CollectingWriter(body: collected))
            if collected.trailers == nil {
                return Sluice.ResponseBody(bytes: collected.bytes)
            }
        }
        return Sluice.ResponseBody(length: body.contentLength) { writer in
            try await body.write(StreamingWriter(writer: writer))
        }
    }
}

/// What a ``CollectingWriter`` was given.
private final class CollectedBody {
    var bytes: [UInt8] = []
    var trailers: HTTPFields?
}

/// Keeps what a Hummingbird body writes in memory.
private struct CollectingWriter: Hummingbird.ResponseBodyWriter {
    let body: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws {
        body.bytes += buffer.readableBytesView
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        body.trailers = trailingHeaders
    }
}

/// Passes each write of a Hummingbird body on to the Sluice server's writer, and flushes it.
private struct StreamingWriter: Hummingbird.ResponseBodyWriter {
    let writer: any Sluice.ResponseBodyWriter

    mutating func write(_ buffer: ByteBuffer) async throws {
        guard buffer.readableBytes > 0 else { return }
        try await writer.write(Array(buffer.readableBytesView))
        try await writer.flush()
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await writer.finish(trailers: trailingHeaders.map(Headers.init))
    }
}
#endif
