// The request body: a single-pass async stream of byte chunks, pulled by the application.

import Synchronization

/// What an adapter implements to deliver a request body: the next chunk, or `nil` at its end.
///
/// Chunks are produced only when asked for, so reading is the backpressure (Spec BODY-2): an
/// adapter reads from its wire no faster than the application consumes.
public protocol RequestBodySource: Sendable {
    /// The next chunk of the body, or `nil` after the last one.
    ///
    /// Throws ``RequestBodyError/truncated(expected:received:)`` when the body ends before its
    /// declared length, and ``ClientDisconnected`` when the client went away.
    mutating func next() async throws -> [UInt8]?
}

/// The body of a request: chunks of bytes, read once, in order.
///
/// Iterate it with `for try await chunk in request.body`, or collect it with
/// ``collect(upTo:)``. A second iteration throws ``RequestBodyError/alreadyConsumed``
/// (Spec BODY-1): bodies are streams, not buffers.
public final class RequestBody: AsyncSequence, Sendable {
    /// A chunk of body bytes.
    public typealias Element = [UInt8]

    /// The length the request declared (Content-Length), or `nil` when unknown, as for a
    /// chunked upload. A body never yields more bytes than this (Spec BODY-3).
    public let expectedLength: Int?

    private let source: Mutex<(any RequestBodySource)?>

    /// Creates a body that reads from an adapter's source.
    public init(expectedLength: Int?, source: some RequestBodySource) {
        self.expectedLength = expectedLength
        self.source = Mutex(source)
    }

    /// Creates a body holding the given bytes, with their count as its length.
    public convenience init(bytes: [UInt8]) {
        self.init(expectedLength: bytes.count, source: BytesSource(bytes: bytes))
    }

    /// A body with no bytes.
    public static var empty: RequestBody { RequestBody(bytes: []) }

    /// Whether the body is known to have no bytes.
    public var isKnownEmpty: Bool { expectedLength == 0 }

    /// Reads the whole body into memory, failing with ``RequestBodyError/tooLarge(limit:)`` once it
    /// passes `limit` bytes, so a client cannot make the application buffer without bound.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        if let expectedLength, expectedLength > limit {
            throw RequestBodyError.tooLarge(limit: limit)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(expectedLength ?? 0)
        for try await chunk in self {
            guard bytes.count + chunk.count <= limit else { throw RequestBodyError.tooLarge(limit: limit) }
            bytes += chunk
        }
        return bytes
    }

    /// Reads and discards the rest of the body.
    public func discard() async throws {
        for try await _ in self {}
    }

    /// Returns an iterator over the body; only the first one reads it.
    public func makeAsyncIterator() -> Iterator {
        Iterator(
            source: source.withLock { taken in
                defer { taken = nil }
                return taken
            })
    }

    /// Iterates a request body's chunks.
    public struct Iterator: AsyncIteratorProtocol {
        var source: (any RequestBodySource)?
        var consumedAlready: Bool

        init(source: (any RequestBodySource)?) {
            self.source = source
            consumedAlready = source == nil
        }

        /// The next chunk, or `nil` at the end of the body.
        public mutating func next() async throws -> [UInt8]? {
            if consumedAlready {
                consumedAlready = false
                throw RequestBodyError.alreadyConsumed
            }
            guard var current = source else { return nil }
            source = nil
            guard let chunk = try await current.next() else { return nil }
            source = current
            return chunk
        }
    }
}

/// A body source over bytes already in memory.
struct BytesSource: RequestBodySource {
    var bytes: [UInt8]?

    mutating func next() async throws -> [UInt8]? {
        defer { bytes = nil }
        return bytes?.isEmpty == false ? bytes : nil
    }
}

/// Why reading a request body failed.
public enum RequestBodyError: Error, Hashable, CustomStringConvertible {
    /// The body was iterated before: it can be read once (Spec BODY-1).
    case alreadyConsumed
    /// The body ended after `received` bytes, short of the `expected` it declared (Spec BODY-4).
    case truncated(expected: Int, received: Int)
    /// The body is longer than `limit` bytes, the most the reader accepts (Spec SEC-3).
    case tooLarge(limit: Int)

    /// A sentence saying what went wrong.
    public var description: String {
        switch self {
        case .alreadyConsumed: "the request body was already read; it can be read once"
        case let .truncated(expected, received): "the request body ended after \(received) of \(expected) bytes"
        case let .tooLarge(limit): "the request body is larger than the limit of \(limit) bytes"
        }
    }
}

/// The client went away: reads and writes for its request fail with this (Spec LIFE-4).
public struct ClientDisconnected: Error, Hashable, CustomStringConvertible {
    /// Creates the error.
    public init() {}

    /// A sentence saying what happened.
    public var description: String { "the client disconnected" }
}
