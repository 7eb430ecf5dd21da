// The request body of a CGI program: its standard input, read as the application asks.

import Sluice

/// How much of standard input belongs to the request body (Spec CGI-9).
enum BodyExtent: Sendable, Hashable {
    /// Exactly this many bytes: `CONTENT_LENGTH`. The server may send more ("extension data",
    /// RFC 3875 section 4.2), which is never read.
    case exactly(Int)
    /// Everything up to end of file, at most `limit` bytes: a body the server streams with no
    /// length, as Apache does for chunked uploads.
    case untilEnd(limit: Int)
}

/// Reads a CGI request body from a descriptor in chunks, only when the application asks
/// for the next one (Spec BODY-2).
struct StandardInputBody: RequestBodySource {
    /// The size of each read: large enough to make few system calls, small enough to stream.
    static let chunkSize = 64 * 1024

    private let input: FileDescriptor
    private let extent: BodyExtent
    private var received = 0

    init(input: FileDescriptor, extent: BodyExtent) {
        self.input = input
        self.extent = extent
    }

    mutating func next() async throws -> [UInt8]? {
        let wanted: Int
        switch extent {
        case let .exactly(length):
            wanted = min(Self.chunkSize, length - received)
            guard wanted > 0 else { return nil }
        case let .untilEnd(limit):
            // One byte past the limit is enough to know the body is over it.
            wanted = min(Self.chunkSize, limit + 1 - received)
        }
        let chunk: [UInt8]
        do {
            chunk = try input.read(upTo: wanted)
        } catch {
            throw ClientDisconnected()
        }
        received += chunk.count
        switch extent {
        case let .exactly(length) where chunk.isEmpty:
            throw RequestBodyError.truncated(expected: length, received: received)
        case let .untilEnd(limit) where received > limit:
            throw RequestBodyError.tooLarge(limit: limit)
        default:
            return chunk.isEmpty ? nil : chunk
        }
    }
}
