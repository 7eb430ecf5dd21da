import Sluice
import Testing

@Suite("Request bodies")
struct RequestBodyTests {
    /// A source that yields the given chunks, then ends.
    struct Chunks: RequestBodySource {
        var chunks: [[UInt8]]
        mutating func next() async throws -> [UInt8]? {
            chunks.isEmpty ? nil : chunks.removeFirst()
        }
    }

    @Test("[BODY-1] a body can be read once; a second read fails")
    func singlePass() async throws {
        let body = RequestBody(bytes: Array("abc".utf8))
        #expect(try await body.collect(upTo: 10) == Array("abc".utf8))
        await #expect(throws: RequestBodyError.alreadyConsumed) { try await body.collect(upTo: 10) }
    }

    @Test("[BODY-2] chunks arrive one at a time, as the reader asks")
    func chunked() async throws {
        let body = RequestBody(expectedLength: nil, source: Chunks(chunks: [[1], [2, 3], [4]]))
        var seen: [[UInt8]] = []
        for try await chunk in body { seen.append(chunk) }
        #expect(seen == [[1], [2, 3], [4]])
        #expect(body.expectedLength == nil)
    }

    @Test("[SEC-3] collecting stops at the limit, before or while reading")
    func collectLimit() async throws {
        let declared = RequestBody(bytes: [UInt8](repeating: 0, count: 11))
        await #expect(throws: RequestBodyError.tooLarge(limit: 10)) { try await declared.collect(upTo: 10) }
        let streamed = RequestBody(expectedLength: nil, source: Chunks(chunks: [[0, 0, 0], [0, 0, 0]]))
        await #expect(throws: RequestBodyError.tooLarge(limit: 5)) { try await streamed.collect(upTo: 5) }
    }

    @Test("[BODY-5] an application may leave the body unread or discard it")
    func discard() async throws {
        let body = RequestBody(expectedLength: nil, source: Chunks(chunks: [[1], [2]]))
        try await body.discard()
        await #expect(throws: RequestBodyError.alreadyConsumed) { try await body.discard() }
    }
}
