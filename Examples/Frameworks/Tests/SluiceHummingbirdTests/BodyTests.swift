// HummingbirdApp's bodies: both ways as streams with backpressure, trailers where carried.

import FrameworkTestSupport
import HTTPTypes
import Hummingbird
import Sluice
import SluiceHummingbird
import SluiceTesting
import Testing

@Suite("HummingbirdApp bodies")
struct BodyTests {
    /// Echoes the request body back as it arrives.
    static let echo: HummingbirdApp<RouterResponder<SluiceRequestContext>> = {
        let router = Router(context: SluiceRequestContext.self)
        router.post("/echo") { request, _ in
            Response(status: .ok, body: ResponseBody(asyncSequence: request.body))
        }
        return HummingbirdApp(router)
    }()

    @Test("[BODY-2] [RESP-15] a body echoed chunk by chunk: each comes back before the next is sent")
    func echoStreams() async throws {
        let upload = RequestBodyStream()
        try await TestClient(Self.echo).post("/echo").body(upload).stream { response in
            var body = response.body.makeAsyncIterator()
            for word in ["one ", "two ", "three"] {
                try await upload.write(word)
                let echoed = try await body.next()
                #expect(echoed == Array(word.utf8))
            }
            upload.finish()
            let end = try await body.next()
            #expect(end == nil)
        }
    }

    @Test("[RESP-9] each write of a streamed body reaches the client before the next is made, as on Hummingbird's server")
    func responseStreams() async throws {
        let next = Signal<Void>()
        let router = Router(context: SluiceRequestContext.self)
        router.get("/ticks") { _, _ in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    for tick in 1...3 {
                        try await writer.write(ByteBuffer(string: "tick \(tick)\n"))
                        await next.next()
                    }
                    try await writer.finish(nil)
                })
        }
        try await TestClient(HummingbirdApp(router)).get("/ticks").stream { response in
            var body = response.body.makeAsyncIterator()
            for tick in 1...3 {
                let chunk = try await body.next()
                #expect(chunk == Array("tick \(tick)\n".utf8))
                next.send()
            }
            let end = try await body.next()
            #expect(end == nil)
        }
    }

    @Test("[RESP-11] trailers the body ends with reach the client")
    func trailers() async throws {
        let router = Router(context: SluiceRequestContext.self)
        router.get("/") { _, _ in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "body"))
                    try await writer.finish([HTTPField.Name("Checksum")!: "abc"])
                })
        }
        let response = try await TestClient(HummingbirdApp(router)).get("/").send()
        #expect(response.text == "body")
        #expect(response.trailers?["Checksum"] == "abc")
    }

    @Test("[RESP-5] a small body of known length goes whole, with Content-Length and no flush")
    func knownLength() async throws {
        let router = Router(context: SluiceRequestContext.self)
        router.get("/") { _, _ in "12345" }
        let response = try await TestClient(HummingbirdApp(router)).get("/").send()
        #expect(response.headers["Content-Length"] == "5")
        #expect(response.text == "12345")
        #expect(response.flushOffsets.isEmpty)
    }

    @Test("[RESP-4] a large body of known length streams, every byte of it")
    func largeKnownLength() async throws {
        let router = Router(context: SluiceRequestContext.self)
        let bytes = (0..<200_000).map { UInt8($0 % 251) }
        router.get("/") { _, _ in Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))) }
        let response = try await TestClient(HummingbirdApp(router)).get("/").send()
        #expect(response.headers["Content-Length"] == "200000")
        #expect(response.body == bytes)
        #expect(response.flushOffsets == [200_000])
    }
}
