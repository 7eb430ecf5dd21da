// SluiceTransport's bodies: both ways as streams, with their lengths and backpressure.

import HTTPTypes
import OpenAPIRuntime
import Sluice
import SluiceOpenAPI
import SluiceTesting
import Synchronization
import Testing

@Suite("SluiceTransport bodies")
struct BodyTests {
    /// A handler that describes the body it received: its length, then its bytes.
    static let describer = try! SluiceTransport.posting("/echo") { _, body, _ in
        guard let body else { return (HTTPResponse(status: .ok), HTTPBody("no body")) }
        let bytes = try await [UInt8](collecting: body, upTo: .max)
        return (HTTPResponse(status: .ok), HTTPBody("\(body.length) \(String(decoding: bytes, as: UTF8.self))"))
    }

    @Test("[REQ-12] a declared length reaches the handler as HTTPBody's length")
    func declaredLength() async throws {
        #expect(try await TestClient(Self.describer).post("/echo").body("hello").send().text == "known(5) hello")
    }

    @Test("[REQ-12] a chunked upload has an unknown length")
    func unknownLength() async throws {
        let upload = RequestBodyStream()
        async let response = TestClient(Self.describer).post("/echo").body(upload).send()
        try await upload.write("hel")
        try await upload.write("lo")
        upload.finish()
        #expect(try await response.text == "unknown hello")
    }

    @Test("a request known to have no body gives the handler nil")
    func noBody() async throws {
        #expect(try await TestClient(Self.describer).post("/echo").send().text == "no body")
    }

    @Test("[BODY-2] the handler reads the upload while the client still sends it")
    func requestStreams() async throws {
        let transport = try SluiceTransport.posting("/echo") { _, body, _ in
            var chunks = body!.makeAsyncIterator()
            let first = try await chunks.next() ?? []
            // The client sends its second chunk only after this one was read.
            return (HTTPResponse(status: .ok), HTTPBody(ArraySlice(first)))
        }
        let upload = RequestBodyStream()
        async let response = TestClient(transport).post("/echo").body(upload).send()
        try await upload.write("first")
        #expect(try await response.text == "first")
        upload.finish()
    }

    @Test("[RESP-9] [RESP-15] the response body streams: a chunk reaches the client before the next is made")
    func responseStreams() async throws {
        let (events, producer) = AsyncThrowingStream<ArraySlice<UInt8>, any Error>.makeStream()
        let transport = try SluiceTransport.posting("/echo") { _, _, _ in
            (HTTPResponse(status: .ok), HTTPBody(events, length: .unknown))
        }
        try await TestClient(transport).post("/echo").stream { response in
            var body = response.body.makeAsyncIterator()
            producer.yield(ArraySlice("one".utf8))
            producer.yield(ArraySlice(repeating: 0, count: 70_000))
            var received: [UInt8] = []
            while received.count < 3 {
                received += try await body.next() ?? []
            }
            #expect(received.starts(with: Array("one".utf8)))
            producer.finish()
            while let chunk = try await body.next() { received += chunk }
            #expect(received.count == 70_003)
        }
    }

    @Test("[RESP-5] a known response length becomes Content-Length")
    func responseLength() async throws {
        let transport = try SluiceTransport.posting("/echo") { _, _, _ in (HTTPResponse(status: .created), HTTPBody("made")) }
        let response = try await TestClient(transport).post("/echo").send()
        #expect(response.status == .created)
        #expect(response.headers["Content-Length"] == "4")
        #expect(response.text == "made")
    }

    @Test("[RESP-7] a response without a body")
    func noResponseBody() async throws {
        let transport = try SluiceTransport.posting("/echo") { _, _, _ in (HTTPResponse(status: .noContent), nil) }
        let response = try await TestClient(transport).post("/echo").send()
        #expect(response.status == .noContent)
        #expect(response.body.isEmpty)
    }
}
