// The suite's HTTP/1.1 response parser on canned bytes: framing, fields, interim responses,
// trailers, and responses cut short.

import Testing

@testable import SluiceConformance

@Suite("Response reader")
struct ResponseReaderTests {
    @Test("[RESP-5] a Content-Length body, fields in order with repeats kept")
    func contentLength() throws {
        let reader = CannedBytes.reader("HTTP/1.1 201 Created\r\nSet-Cookie: a=1\r\nContent-Le", "ngth: 5\r\nSet-Cookie:  b=2 \r\n\r\nhel", "lo")
        let response = try reader.readResponse()
        #expect(response.status == 201)
        #expect(response.reason == "Created")
        #expect(response.values("set-cookie") == ["a=1", "b=2"])
        #expect(response.framing == .contentLength(5))
        #expect(response.text == "hello")
        #expect(response.isComplete)
    }

    @Test("[RESP-11] a chunked body with extensions and trailers")
    func chunked() throws {
        let reader = CannedBytes.reader(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            "3;ext=1\r\nabc\r\n", "A\r\n0123456789\r\n0\r\nX-Checksum: abc\r\n\r\n"
        )
        let response = try reader.readResponse()
        #expect(response.framing == .chunked)
        #expect(response.text == "abc0123456789")
        #expect(response.trailers == [Field(name: "X-Checksum", value: "abc")])
        #expect(response.isComplete)
        #expect(response.bodyArrivals.last?.total == 13)
    }

    @Test("[ERR-2] a chunked body without its last chunk, and a short Content-Length body, read as incomplete")
    func cutShort() throws {
        let chunked = try CannedBytes.reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\npartial\n\r\n").readResponse()
        #expect(chunked.text == "partial\n")
        #expect(!chunked.isComplete)
        let short = try CannedBytes.reader("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").readResponse()
        #expect(short.text == "abc")
        #expect(!short.isComplete)
    }

    @Test("[HTTP-2] a body until close, for an HTTP/1.0 response")
    func untilClose() throws {
        let response = try CannedBytes.reader("HTTP/1.0 200 OK\r\n\r\nsome", " bytes").readResponse()
        #expect(response.framing == .untilClose)
        #expect(response.text == "some bytes")
        #expect(response.closesConnection)
    }

    @Test("[RESP-6] [RESP-7] HEAD, 204 and 304 responses have no body, whatever their fields say")
    func bodiless() throws {
        let reader = CannedBytes.reader(
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
            "HTTP/1.1 204 No Content\r\n\r\n",
            "HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        )
        #expect(try reader.readResponse(method: "HEAD").framing == .none)
        #expect(try reader.readResponse().status == 204)
        #expect(try reader.readResponse().body.isEmpty)
        #expect(try reader.readResponse().text == "ok")
    }

    @Test("[RESP-12] informational responses before the final one are kept in order")
    func informational() throws {
        let reader = CannedBytes.reader(
            "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
        )
        let response = try reader.readResponse()
        #expect(response.informational.map(\.status) == [103, 100])
        #expect(response.informational.first?.fields == [Field(name: "Link", value: "</a.css>; rel=preload")])
        #expect(response.status == 200)
    }

    @Test("[BODY-6] an interim read returns the 100 and leaves a final response for the next read")
    func interim() throws {
        let continuing = CannedBytes.reader("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        #expect(try continuing.readInterim()?.status == 100)
        #expect(try continuing.readResponse().status == 200)
        let refusing = CannedBytes.reader("HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n")
        #expect(try refusing.readInterim() == nil)
        #expect(try refusing.readResponse().status == 413)
    }

    @Test("[HTTP-2] pipelined responses are read one after another from one stream")
    func pipelined() throws {
        let reader = CannedBytes.reader("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb")
        #expect(try reader.readResponse().text == "a")
        #expect(try reader.readResponse().text == "b")
    }

    @Test("malformed status lines, fields and lengths are errors, not guesses")
    func malformed() {
        #expect(throws: ClientError.self) { try CannedBytes.reader("HTTP/1.1 2000 OK\r\n\r\n").readResponse() }
        #expect(throws: ClientError.self) { try CannedBytes.reader("HTTP/1.1 200 OK\r\nNo colon\r\n\r\n").readResponse() }
        #expect(throws: ClientError.self) { try CannedBytes.reader("HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n").readResponse() }
        #expect(throws: ClientError.self) {
            try CannedBytes.reader("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab").readResponse()
        }
        #expect(throws: ClientError.self) { try CannedBytes.reader("").readResponse() }
    }
}
