// Streaming both ways: flush points, backpressure, disconnects, a body larger than memory should hold.

import Sluice
import SluiceTesting
import Testing

@Suite("Streaming")
struct StreamingTests {
    @Test("[RESP-9] a flushed chunk reaches the client before the application goes on")
    func flushedChunkArrivesEarly() async throws {
        let goOn = Signal()
        let app = App { _ in
            .streamed { writer in
                try await writer.write("first")
                try await writer.flush()
                await goOn.wait()
                try await writer.write("second")
            }
        }
        let flushOffsets = try await TestClient(app).get("/").stream { response async throws in
            var chunks = response.body.makeAsyncIterator()
            #expect(try await chunks.next() == Array("first".utf8))
            goOn.fire()
            #expect(try await chunks.next() == Array("second".utf8))
            #expect(try await chunks.next() == nil)
            return response.flushOffsets
        }
        #expect(flushOffsets == [5])
    }

    @Test("[RESP-9] unflushed writes wait in the server's buffer; flush points are recorded")
    func unflushedWritesAreBuffered() async throws {
        let app = App { _ in
            .streamed { writer in
                try await writer.write("a")
                try await writer.write("b")
                try await writer.flush()
                try await writer.write("c")
                try await writer.flush()
                try await writer.flush()
            }
        }
        let chunks = try await TestClient(app).get("/").stream { response async throws in
            var chunks: [String] = []
            for try await chunk in response.body { chunks.append(String(decoding: chunk, as: UTF8.self)) }
            return chunks
        }
        #expect(chunks == ["ab", "c"])
        let response = try await TestClient(app).get("/").send()
        #expect(response.flushOffsets == [2, 3, 3])
    }

    @Test("[LIFE-4] when the client disconnects, writes fail with ClientDisconnected and hooks still run")
    func disconnectDuringResponse() async throws {
        let writeError = Box<(any Error)?>(nil)
        let hookSaw = Box<Completion?>(nil)
        let app = App { request in
            request.onCompletion { completion in hookSaw.value = completion }
            return .streamed { writer in
                do {
                    while true {
                        try await writer.write("tick\n")
                        try await writer.flush()
                    }
                } catch {
                    writeError.value = error
                    throw error
                }
            }
        }
        let completion = try await TestClient(app).get("/ticks").stream { response async throws in
            var chunks = response.body.makeAsyncIterator()
            #expect(try await chunks.next() == Array("tick\n".utf8))
            response.disconnect()
            return await response.completion()
        }
        #expect(completion.clientDisconnected)
        #expect(writeError.value is ClientDisconnected)
        #expect(hookSaw.value?.clientDisconnected == true)
        #expect(hookSaw.value?.status == .ok)
    }

    @Test("[LIFE-4] when the client disconnects, a body read fails with ClientDisconnected")
    func disconnectDuringUpload() async throws {
        let readError = Box<(any Error)?>(nil)
        let app = App { request in
            .streamed { writer in
                do {
                    for try await chunk in request.body {
                        try await writer.write(chunk)
                        try await writer.flush()
                    }
                } catch {
                    readError.value = error
                    throw error
                }
            }
        }
        let upload = RequestBodyStream()
        let completion = try await TestClient(app).post("/").body(upload).stream { response async throws in
            var chunks = response.body.makeAsyncIterator()
            try await upload.write("part one")
            #expect(try await chunks.next() == Array("part one".utf8))
            response.disconnect()
            return await response.completion()
        }
        #expect(completion.clientDisconnected)
        #expect(readError.value is ClientDisconnected)
    }

    @Test("[LIFE-4] a test that stops reading early disconnects")
    func returningEarlyDisconnects() async throws {
        let hookSaw = Box<Completion?>(nil)
        let app = App { request in
            request.onCompletion { completion in hookSaw.value = completion }
            return .streamed { writer in
                while true {
                    try await writer.write("more")
                    try await writer.flush()
                }
            }
        }
        let status = try await TestClient(app).get("/").stream { response in response.status }
        #expect(status == .ok)
        #expect(hookSaw.value?.clientDisconnected == true)
    }

    @Test("[BODY-2] a 64 MiB body streams through an echo app and back in bounded chunks")
    func largeBodyRoundTrip() async throws {
        let chunkSize = 64 * 1024
        let chunkCount = 1024
        let upload = RequestBodyStream()
        let (received, largestChunk, receivedSum, sentSum) = try await TestClient(echo).post("/echo").body(upload).stream { response async throws in
            async let sent: Checksum = {
                var sum = Checksum()
                for index in 0..<chunkCount {
                    let chunk = Checksum.pattern(size: chunkSize, stamp: index)
                    sum.add(chunk)
                    try await upload.write(chunk)
                }
                upload.finish()
                return sum
            }()
            var sum = Checksum()
            var count = 0
            var largest = 0
            for try await chunk in response.body {
                sum.add(chunk)
                count += chunk.count
                largest = max(largest, chunk.count)
            }
            return (count, largest, sum, try await sent)
        }
        #expect(received == chunkSize * chunkCount)
        #expect(largestChunk <= chunkSize)
        #expect(receivedSum == sentSum)
    }

    @Test("[BODY-3] a streamed body never yields more than its declared length")
    func declaredLengthCaps() async throws {
        let upload = RequestBodyStream()
        let client = TestClient(echo, lint: false)
        async let response = client.post("/").body(upload, length: 4).send()
        try await upload.write("abcdef")
        upload.finish()
        #expect(try await response.text == "abcd")
    }

    @Test("[BODY-4] a streamed body that ends short of its declared length is truncated")
    func truncatedBody() async throws {
        let readError = Box<(any Error)?>(nil)
        let app = App { request in
            do {
                _ = try await request.body.collect(upTo: 100)
            } catch {
                readError.value = error
            }
            return .text("done")
        }
        let upload = RequestBodyStream()
        async let response = TestClient(app).post("/").body(upload, length: 10).send()
        try await upload.write("abc")
        upload.finish()
        #expect(try await response.text == "done")
        #expect(readError.value as? RequestBodyError == .truncated(expected: 10, received: 3))
    }

    @Test("[BODY-5] writes to an upload the application never reads are dropped once it answered")
    func unreadUploadIsDropped() async throws {
        let upload = RequestBodyStream()
        let response = try await TestClient(App { _ in .text("ignored") }).post("/").body(upload).send()
        try await upload.write("nobody reads this")
        #expect(response.text == "ignored")
    }
}

/// A running checksum (Fletcher-64 over bytes), so a test can compare bodies without keeping them.
struct Checksum: Equatable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer {
                low = (low &+ UInt64(byte)) % 0xFFFF_FFFF
                high = (high &+ low) % 0xFFFF_FFFF
            }
        }
    }

    /// A chunk of varied bytes, stamped with its index so that chunks differ.
    static func pattern(size: Int, stamp: Int) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: size)
        chunk.withUnsafeMutableBufferPointer { buffer in
            for position in buffer.indices {
                buffer[position] = UInt8(truncatingIfNeeded: position &* 31 &+ stamp &* 7)
            }
        }
        return chunk
    }
}
