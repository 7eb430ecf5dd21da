// The request body of a FastCGI request: its FCGI_STDIN stream, read as the application asks.

#if os(Linux)
import Sluice

/// Reads `FCGI_STDIN` on the worker thread in chunks, only when the application asks
/// for the next one (Spec BODY-2), to the end of the stream and never past `CONTENT_LENGTH`
/// when the server passed one (Spec CGI-9, BODY-3): bytes beyond it are ignored.
struct StandardInputBody: RequestBodySource {
    /// The size of each read: few calls, bounded memory.
    static let chunkSize = 64 * 1024

    private let access: ConnectionAccess
    private let declaredLength: Int?
    private let limit: Int
    private var received = 0
    private var ended = false

    init(access: ConnectionAccess, declaredLength: Int?, limit: Int) {
        self.access = access
        self.declaredLength = declaredLength
        self.limit = limit
    }

    mutating func next() async throws -> [UInt8]? {
        guard !ended else { return nil }
        let wanted = declaredLength.map { min(Self.chunkSize, $0 - received) } ?? Self.chunkSize
        guard wanted > 0 else {
            ended = true
            return nil
        }
        let chunk = try await access.read(maximum: wanted)
        received += chunk.count
        if chunk.isEmpty {
            ended = true
            if let declaredLength, received < declaredLength {
                throw RequestBodyError.truncated(expected: declaredLength, received: received)
            }
            return nil
        }
        if declaredLength == nil, received > limit {
            ended = true
            throw RequestBodyError.tooLarge(limit: limit)
        }
        return chunk
    }
}

#endif
