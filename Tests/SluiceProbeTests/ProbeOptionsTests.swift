// What requests can ask of the probe: status, fields, streams, echoes, trailers, hints, failures.

import Foundation
import Sluice
import SluiceProbe
import SluiceTesting
import Testing

@Suite("The probe's options")
struct ProbeOptionsTests {
    let client = TestClient(Probe())

    @Test("[RESP-2][RESP-13] a status and repeated response fields, from headers or from the query")
    func statusAndFields() async throws {
        let byHeaders = try await client.get("/")
            .header("X-Probe-Status", "201")
            .header("X-Probe-Header", "Set-Cookie: a=1")
            .header("X-Probe-Header", "Set-Cookie: b=2")
            .send()
        #expect(byHeaders.status.code == 201)
        #expect(byHeaders.headers.values(for: "Set-Cookie") == ["a=1", "b=2"])

        let byQuery = try await client.get("/?probe-status=202&probe-header=X-Seen%3A%20yes").send()
        #expect(byQuery.status.code == 202)
        #expect(byQuery.headers["X-Seen"] == "yes")
        #expect(try Report(byQuery).string("queryString") == "probe-status=202&probe-header=X-Seen%3A%20yes")
    }

    @Test("[REQ-5] the query's options are read as a form, as the toolkit reads any query: + is a space; a malformed query holds none")
    func queryAsForm() async throws {
        let plus = try await client.get("/?probe-header=X-Seen%3A+a+b&other=%25").send()
        #expect(plus.headers["X-Seen"] == "a b")
        let malformed = try await client.get("/?probe-status=202&q=%zz").send()
        #expect(malformed.status.code == 200)
        #expect(try Report(malformed).string("queryString") == "probe-status=202&q=%zz")
    }

    @Test("[RESP-7] a 204 is answered without a body, though the request body is still read")
    func bodilessStatus() async throws {
        let response = try await client.post("/").header("X-Probe-Status", "204").body("ignored").send()
        #expect(response.status == .noContent)
        #expect(response.body.isEmpty)
        #expect(!response.headers.contains("Content-Type"))
    }

    @Test("[RESP-9] a stream of N bytes in K chunks, each flushed, the pattern intact")
    func streamWithFlushes() async throws {
        let response = try await client.get("/")
            .header("X-Probe-Stream", "100001").header("X-Probe-Chunks", "4").header("X-Probe-Chunk-Delay", "1")
            .send()
        #expect(response.body.count == 100_001)
        #expect(response.flushOffsets == [25_001, 50_001, 75_001, 100_001])
        #expect(response.body.enumerated().allSatisfy { $0.element == UInt8(ascii: "a") + UInt8($0.offset % 26) })
        #expect(response.headers["Content-Length"] == nil)
    }

    @Test("[RESP-5] a stream declares its length when asked")
    func declaredLength() async throws {
        let response = try await client.get("/?probe-stream=70000&probe-length=declared").send()
        #expect(response.headers["Content-Length"] == "70000")
        #expect(response.body.count == 70000)
    }

    @Test("[BODY-2][RESP-9] echo sends each request chunk back before the next one is written")
    func echo() async throws {
        let upload = RequestBodyStream()
        try await client.post("/").header("X-Probe-Echo", "1").body(upload).stream { response in
            var chunks = response.body.makeAsyncIterator()
            try await upload.write("one")
            #expect(try await chunks.next() == Array("one".utf8))
            try await upload.write("two")
            #expect(try await chunks.next() == Array("two".utf8))
            upload.finish()
            #expect(try await chunks.next() == nil)
        }
    }

    @Test("[RESP-11] trailers after the report")
    func trailers() async throws {
        let response = try await client.get("/").header("X-Probe-Trailer", "X-Checksum: abc").send()
        #expect(response.trailers?["X-Checksum"] == "abc")
        #expect(try Report(response).string("method") == "GET")
    }

    @Test("[RESP-12] an early hint goes out as a 103 before the final response")
    func earlyHints() async throws {
        let response = try await client.get("/").header("X-Probe-Early-Hint", "</style.css>; rel=preload").send()
        #expect(response.informational == [InformationalResponse(status: .earlyHints, headers: ["Link": "</style.css>; rel=preload"])])
        #expect(response.status == .ok)
    }

    @Test("[ERR-1] fail before the head: the server answers 500")
    func failBeforeHead() async throws {
        let response = try await client.get("/").header("X-Probe-Fail", "before-head").send()
        #expect(response.status == .internalServerError)
    }

    @Test("[ERR-2] fail after the head: the bytes sent arrive, then the response is aborted")
    func failAfterHead() async throws {
        let response = try await client.get("/").header("X-Probe-Fail", "after-head").send()
        #expect(response.status == .ok)
        #expect(response.text == "partial\n")
        #expect(response.completion.error != nil)
    }

    @Test("[REQ-13] X-Probe-Log writes its line to the error log")
    func log() async throws {
        let response = try await client.get("/").header("X-Probe-Log", "probe was here").send()
        #expect(response.loggedErrors.contains { $0.contains("probe was here") })
    }

    @Test("an option that cannot be followed is answered 400 with the reason")
    func invalidOption() async throws {
        let response = try await client.get("/").header("X-Probe-Status", "99").send()
        #expect(response.status == .badRequest)
        #expect(try Report(response).string("error") == "status 99 is not in 200...599")
    }

    @Test("[LIFE-1][LIFE-2] the probe can fail its start-up, and marks its shut-down")
    func lifecycle() async throws {
        await #expect(throws: (any Error).self) { try await Probe(failsStartup: true).startup() }
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString)").path
        await Probe(shutdownMarker: marker).shutdown()
        #expect(FileManager.default.fileExists(atPath: marker))
        try FileManager.default.removeItem(atPath: marker)
    }
}

@Suite("The probe's body and redirect options")
struct ProbeBodyOptionsTests {
    let client = TestClient(Probe())

    @Test("[RESP-6] a HEAD response shows the method in X-Probe-Request-Method and has no body")
    func head() async throws {
        let response = try await client.head("/").send()
        #expect(response.headers["X-Probe-Request-Method"] == "HEAD")
        #expect(response.body.isEmpty)
    }

    @Test("body: count reads the body without digests")
    func countOnly() async throws {
        let response = try await client.post("/?probe-body=count").body(sampleBytes(5000)).send()
        let body = try Report(response).member("body")
        #expect(body["bytesRead"] as? Int == 5000)
        #expect(body["sha256"] is NSNull)
        #expect(body["fnv1a64"] is NSNull)
    }

    @Test("[BODY-4] a body that ends short of its length is reported as an error, and recorded by id")
    func truncatedBody() async throws {
        let upload = RequestBodyStream()
        let writer = Task {
            try await upload.write("abc")
            upload.finish()
        }
        let response = try await client.post("/").header("X-Probe-Id", "short").body(upload, length: 10).send()
        try await writer.value
        #expect(try Report(response).member("body")["error"] is String)
        let record = try Report(try await client.get("/_probe/completions/short?wait=1000").send())
        #expect(record["bodyError"] is String)
    }

    @Test("local-redirect answers with a local redirect to the path")
    func localRedirect() async throws {
        let response = try await client.get("/?probe-local-redirect=/elsewhere%3Fx%3D1").send()
        #expect(response.headers["Location"] == "/elsewhere?x=1")
        #expect(response.status == .ok)
        #expect(response.body.isEmpty)
    }
}
