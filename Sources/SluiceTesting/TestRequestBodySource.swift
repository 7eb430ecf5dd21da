// How the test server delivers a request body: in-memory bytes or a stream the test feeds.

import Sluice

/// The test server's source for a request body: what the test gave, held to the declared
/// length the way a server holds a body to its `Content-Length`.
struct TestRequestBodySource: RequestBodySource {
    /// Where the bytes come from.
    enum Origin: Sendable {
        case bytes([UInt8])
        case stream(RequestBodyStream)
    }

    private var origin: Origin?
    private let declaredLength: Int?
    private var received = 0
    private var readBefore = false
    /// Runs before the first read: the moment a server answers `Expect: 100-continue`.
    private let onFirstRead: @Sendable () async throws -> Void
    /// Whether the server stopped passing the body on: a read then fails as it would once a
    /// front server's timeout ended the wait.
    private let isCutOff: @Sendable () -> Bool

    init(
        _ origin: Origin,
        declaredLength: Int?,
        onFirstRead: @escaping @Sendable () async throws -> Void,
        isCutOff: @escaping @Sendable () -> Bool
    ) {
        self.origin = origin
        self.declaredLength = declaredLength
        self.onFirstRead = onFirstRead
        self.isCutOff = isCutOff
    }

    mutating func next() async throws -> [UInt8]? {
        if !readBefore {
            readBefore = true
            try await onFirstRead()
        }
        if let declaredLength, received == declaredLength { return nil }
        // Spec SEC-5: a body that stops arriving fails the read, as ClientDisconnected.
        if isCutOff() { throw ClientDisconnected() }
        guard let chunk = try await nextChunk() else {
            if let declaredLength, received < declaredLength {
                throw RequestBodyError.truncated(expected: declaredLength, received: received)  // Spec BODY-4
            }
            return nil
        }
        // Bytes past the declared length are not part of this body (Spec BODY-3).
        let kept = declaredLength.map { chunk.prefix($0 - received) } ?? chunk[...]
        received += kept.count
        return Array(kept)
    }

    /// The next chunk from the origin, with a cancelled task's wait reported as the client
    /// having gone (Spec LIFE-4).
    private mutating func nextChunk() async throws -> [UInt8]? {
        switch origin {
        case nil:
            return nil
        case let .bytes(bytes):
            origin = nil
            return bytes.isEmpty ? nil : bytes
        case let .stream(stream):
            do {
                return try await stream.chunks.receive()
            } catch is CancellationError {
                throw ClientDisconnected()
            }
        }
    }
}
