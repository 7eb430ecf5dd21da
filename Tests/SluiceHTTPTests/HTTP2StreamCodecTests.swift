// An HTTP/2 stream's frames turned into request parts and back, in memory (Spec H2-1 to H2-5).

import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP1
import NIOHTTP2
import Sluice
import SluiceGateway
import Testing

@testable import SluiceHTTP

@Suite("HTTP/2 stream codec")
struct HTTP2StreamCodecTests {
    static func head(_ fields: [(String, String)], endsStream: Bool = true) -> Result<HTTPRequestHead, SluiceHTTP.Rejection> {
        HTTP2StreamCodec.head(of: HPACKHeaders(fields), endsStream: endsStream)
    }

    static let request = [(":method", "GET"), (":scheme", "https"), (":path", "/a?b=1"), (":authority", "example.com:8443")]

    @Test("[H2-1] [H2-2] [H2-3] pseudo-headers make method and target; :authority becomes the first host field; cookie crumbs are joined where the first was")
    func mapping() throws {
        let head = try Self.head(Self.request + [("x-a", "1"), ("cookie", "a=1"), ("x-b", "2"), ("cookie", "b=2")]).get()
        #expect(head.method == .GET)
        #expect(head.uri == "/a?b=1")
        #expect(head.version == HTTPVersion(major: 2, minor: 0))
        #expect(head.headers.map { "\($0.name): \($0.value)" } == ["host: example.com:8443", "x-a: 1", "cookie: a=1; b=2", "x-b: 2"])
    }

    @Test("[H2-2] a host field that agrees with :authority is kept; one that disagrees is 400; neither leaves no host")
    func hostAndAuthority() throws {
        let agreeing = try Self.head(Self.request + [("host", "EXAMPLE.com:8443")]).get()
        #expect(agreeing.headers["host"] == ["EXAMPLE.com:8443"])
        guard case let .failure(rejection) = Self.head(Self.request + [("host", "other.example")]) else {
            Issue.record("a disagreeing host was accepted")
            return
        }
        #expect(rejection.status == .badRequest)
        let without = try Self.head(Array(Self.request.prefix(3))).get()
        #expect(without.headers["host"].isEmpty)
    }

    @Test("[H2-1] a :path in absolute form or empty is 400; * only for OPTIONS; CONNECT passes to the 501 of HTTP-4")
    func targetForms() throws {
        for path in ["http://example.com/a", "a", "*"] {
            guard case .failure = Self.head([(":method", "GET"), (":scheme", "http"), (":path", path)]) else {
                Issue.record("\(path) was accepted")
                continue
            }
        }
        #expect(try Self.head([(":method", "OPTIONS"), (":scheme", "http"), (":path", "*")]).get().uri == "*")
        let connect = try Self.head([(":method", "CONNECT"), (":authority", "example.com:443")]).get()
        if case let .failure(rejection) = check(connect, limits: .init()) {
            #expect(rejection.status == .notImplemented)
        } else {
            Issue.record("CONNECT was accepted")
        }
    }

    @Test("[H2-5] [REQ-12] a body that ends with the stream is noted as chunked for the framing check and left out of the fields; a declared length is kept")
    func bodyFraming() throws {
        let noBody = try Self.head(Self.request).get()
        #expect(try check(noBody, limits: .init()).get().declaredLength == nil)
        #expect(try check(noBody, limits: .init()).get().isChunked == false)
        let streamed = try Self.head(Self.request, endsStream: false).get()
        #expect(try check(streamed, limits: .init()).get().isChunked)
        var servers = ServerOfHost()
        let channel = EmbeddedChannel()
        let request = Request(
            head: streamed, host: "example.com:8443", body: .empty,
            connection: ConnectionFacts(addresses: ConnectionAddresses(channel: channel), tls: nil), servers: &servers, errorLog: .discarding
        )
        #expect(request.headers.first(where: { $0.name == "transfer-encoding" }) == nil)
        #expect(request.serverProtocol == "HTTP/2.0")
        #expect(request.serverName == "example.com" && request.serverPort == 8443)
        #expect(request.capabilities.supportsTrailers && request.capabilities.supportsInformationalResponses)
        let declared = try Self.head(Self.request + [("content-length", "5")], endsStream: false).get()
        #expect(try check(declared, limits: .init()).get().declaredLength == 5)
    }

    @Test("[H2-5] [BODY-8] DATA frames become body parts and the trailers' HEADERS frame only the end")
    func inbound() throws {
        let channel = EmbeddedChannel(handler: HTTP2StreamCodec(writeTimeout: .seconds(1)))
        try channel.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: HPACKHeaders(Self.request))))
        try channel.writeInbound(HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(ByteBuffer(string: "abc")))))
        try channel.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: HPACKHeaders([("x-trailer", "1")]), endStream: true)))
        guard case .head? = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("no head")
            return
        }
        guard case let .body(bytes)? = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("no body")
            return
        }
        #expect(String(buffer: bytes) == "abc")
        guard case .end(nil)? = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("no end without trailers")
            return
        }
    }

    @Test("[H2-4] [H2-5] [RESP-11] a response goes out with :status, lowercase names, no connection fields, its end riding on the last frame, trailers last")
    func outbound() throws {
        let channel = EmbeddedChannel(handler: HTTP2StreamCodec(writeTimeout: .seconds(1)))
        var headers = HTTPHeaders([("Content-Type", "text/plain"), ("Connection", "close"), ("X-Many", "1")])
        headers.add(name: "Transfer-Encoding", value: "chunked")
        // Written as the connection handler writes a whole response: the parts, then one flush.
        channel.write(HTTPServerResponsePart.head(HTTPResponseHead(version: .init(major: 2, minor: 0), status: .ok, headers: headers)), promise: nil)
        channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "hi"))), promise: nil)
        channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
        guard case let .headers(head)? = try channel.readOutbound(as: HTTP2Frame.FramePayload.self) else {
            Issue.record("no HEADERS")
            return
        }
        #expect(head.headers.map { "\($0.name): \($0.value)" } == [":status: 200", "content-type: text/plain", "x-many: 1"])
        #expect(!head.endStream)
        guard case let .data(data)? = try channel.readOutbound(as: HTTP2Frame.FramePayload.self) else {
            Issue.record("no DATA")
            return
        }
        #expect(data.endStream, "the end rides on the last DATA frame")
        #expect(try channel.readOutbound(as: HTTP2Frame.FramePayload.self) == nil, "no empty DATA frame for the end")

        let bodiless = EmbeddedChannel(handler: HTTP2StreamCodec(writeTimeout: .seconds(1)))
        bodiless.write(HTTPServerResponsePart.head(HTTPResponseHead(version: .init(major: 2, minor: 0), status: .noContent)), promise: nil)
        bodiless.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
        guard case let .headers(only)? = try bodiless.readOutbound(as: HTTP2Frame.FramePayload.self) else {
            Issue.record("no HEADERS")
            return
        }
        #expect(only.endStream, "a bodiless response is one HEADERS frame")

        let trailed = EmbeddedChannel(handler: HTTP2StreamCodec(writeTimeout: .seconds(1)))
        try trailed.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .init(major: 2, minor: 0), status: .ok)))
        try trailed.writeOutbound(HTTPServerResponsePart.end(HTTPHeaders([("X-Checksum", "abc")])))
        guard case .headers? = try trailed.readOutbound(as: HTTP2Frame.FramePayload.self),
            case let .headers(trailers)? = try trailed.readOutbound(as: HTTP2Frame.FramePayload.self)
        else {
            Issue.record("no head and trailers")
            return
        }
        #expect(trailers.endStream && trailers.headers.first(name: "x-checksum") == "abc")
    }
}
