// A request body that counts the bytes the application reads.

import CoreMetrics
import Sluice

/// Reads `body` through and adds each chunk's size to `counter`.
///
/// `@unchecked Sendable`: the iterator it holds is a plain struct, and a body is read by one
/// task at a time (``Sluice/RequestBody`` hands its source to a single iterator).
struct CountingBodySource: RequestBodySource, @unchecked Sendable {
    private var chunks: RequestBody.AsyncIterator
    private let counter: Counter

    init(body: RequestBody, counter: Counter) {
        chunks = body.makeAsyncIterator()
        self.counter = counter
    }

    mutating func next() async throws -> [UInt8]? {
        guard let chunk = try await chunks.next() else { return nil }
        if !chunk.isEmpty { counter.increment(by: chunk.count) }
        return chunk
    }
}
