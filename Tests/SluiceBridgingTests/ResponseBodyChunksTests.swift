// A response body read from another framework's chunk stream: streamed, with backpressure.

import Sluice
import SluiceBridging
import SluiceTesting
import Synchronization
import Testing

@Suite("Response bodies from a chunk stream")
struct ResponseBodyChunksTests {
    /// A sequence of `count` chunks of `size` bytes that counts how many were asked for.
    final class CountingChunks: AsyncSequence, Sendable {
        let count: Int
        let size: Int
        let pulled = Atomic<Int>(0)

        init(count: Int, size: Int) {
            self.count = count
            self.size = size
        }

        func makeAsyncIterator() -> Iterator { Iterator(chunks: self) }

        struct Iterator: AsyncIteratorProtocol {
            let chunks: CountingChunks
            mutating func next() async throws -> ArraySlice<UInt8>? {
                let index = chunks.pulled.add(1, ordering: .relaxed).newValue
                return index <= chunks.count ? ArraySlice(repeating: UInt8(index % 256), count: chunks.size) : nil
            }
        }
    }

    @Test("[RESP-5] every chunk arrives, in order, with the declared length")
    func wholeBody() async throws {
        let chunks = CountingChunks(count: 3, size: 5)
        let app = App { _ in Response(body: ResponseBody(chunks: chunks, length: 15)) }
        let response = try await TestClient(app).get("/").send()
        #expect(response.body == [UInt8](repeating: 1, count: 5) + [UInt8](repeating: 2, count: 5) + [UInt8](repeating: 3, count: 5))
        #expect(response.headers["Content-Length"] == "15")
    }

    @Test("[RESP-15] a client that does not read stops the chunks being read")
    func backpressure() async throws {
        let chunks = CountingChunks(count: 1_000, size: 64 * 1024)
        let app = App { _ in Response(body: ResponseBody(chunks: chunks, length: nil)) }
        try await TestClient(app).get("/").stream { response in
            var body = response.body.makeAsyncIterator()
            _ = try await body.next()
            try await Task.sleep(for: .milliseconds(200))
            // One chunk read by the client, one waiting in the test server's hand-off, one
            // being written: a producer that ran ahead would have read hundreds.
            #expect(chunks.pulled.load(ordering: .relaxed) <= 4)
            response.disconnect()
            #expect(await response.completion().clientDisconnected)
        }
    }

    @Test("[ERR-2] a stream that fails ends the body early and the completion says why")
    func failingStream() async throws {
        struct Broken: Error {}
        let chunks = AsyncThrowingStream<[UInt8], any Error> { continuation in
            continuation.yield(Array("partial".utf8))
            continuation.finish(throwing: Broken())
        }
        let app = App { _ in Response(body: ResponseBody(chunks: chunks, length: nil)) }
        let response = try await TestClient(app).get("/").send()
        #expect(response.completion.bodyBytesSent == 7)
        #expect(response.completion.error is Broken)
    }
}
