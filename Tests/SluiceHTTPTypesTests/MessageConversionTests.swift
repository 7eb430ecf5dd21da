// Request and response heads, with what HTTPTypes has no place for passed back in.

import HTTPTypes
import Sluice
import SluiceHTTPTypes
import Testing

@Suite("Requests and responses")
struct MessageConversionTests {
    /// A request as a server would hand it over, with every header hazard in it.
    static func sluiceRequest(target: String = "/caf%C3%A9/a%2Fb/x/../c?q=%20x&q=y") -> Request {
        var headers = Headers([("Host", "example.org:8443")])
        headers.append(contentsOf: HeadersConversionTests.tricky)
        return Request(
            method: "PROPFIND",
            target: target,
            pathInfo: RequestTarget(target).decodedPath,
            queryString: String(RequestTarget(target).query),
            headers: headers,
            serverName: "example.org",
            serverPort: 8443,
            scheme: "https",
            remoteAddress: "192.0.2.1",
            remotePort: 40000,
            body: .empty
        )
    }

    @Test("[REQ-2] [REQ-6] a request head becomes an HTTPRequest: raw target, Host as authority, fields intact")
    func requestToHTTPTypes() throws {
        let request = Self.sluiceRequest()
        let head = try HTTPRequest(request)
        #expect(head.method.rawValue == "PROPFIND")
        #expect(head.scheme == "https")
        #expect(head.authority == "example.org:8443")
        #expect(head.path == "/caf%C3%A9/a%2Fb/x/../c?q=%20x&q=y")
        #expect(Headers(head.headerFields) == HeadersConversionTests.tricky)
    }

    @Test("[REQ-2] [REQ-3] [REQ-4] [REQ-5] [REQ-6] a request round-trips with nothing lost")
    func requestRoundTrip() throws {
        let request = Self.sluiceRequest()
        let back = try Request(
            HTTPRequest(request),
            body: .empty,
            remoteAddress: request.remoteAddress,
            remotePort: request.remotePort
        )
        #expect(back.method == request.method)
        #expect(back.target == request.target)
        #expect(back.scriptName == "")
        #expect(back.pathInfo == "/café/a/b/c")
        #expect(back.pathInfo == request.pathInfo)
        #expect(back.queryString == "q=%20x&q=y")
        #expect(back.headers == request.headers)
        #expect(back.scheme == "https")
        #expect(back.serverName == "example.org")
        #expect(back.serverPort == 8443)
        #expect(back.remoteAddress == "192.0.2.1")
        #expect(back.remotePort == 40000)
    }

    @Test("[MOUNT-2] the mount is a parameter: the target splits below it")
    func mounted() throws {
        let head = HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/app/x%20y?z")
        let request = try Request(head, body: .empty, mountedAt: "/app/")
        #expect(request.scriptName == "/app")
        #expect(request.pathInfo == "/x y")
        #expect(request.queryString == "z")
        #expect(throws: HTTPTypesConversionError.pathOutsideMount(path: "/x y", mount: "/other")) {
            try Request(HTTPRequest(method: .get, scheme: "http", authority: nil, path: "/x%20y"), body: .empty, mountedAt: "/other")
        }
    }

    @Test("[REQ-8] [REQ-9] server name and port come from the authority, else the parameters and scheme")
    func serverFromAuthority() throws {
        let v6 = try Request(HTTPRequest(method: .get, scheme: "https", authority: "[::1]:8080", path: "/"), body: .empty)
        #expect(v6.serverName == "::1")
        #expect(v6.serverPort == 8080)
        let bare = try Request(HTTPRequest(method: .get, scheme: "https", authority: nil, path: "/"), body: .empty)
        #expect(bare.serverName == "localhost")
        #expect(bare.serverPort == 443)
        #expect(!bare.headers.contains("Host"))
        let given = try Request(
            HTTPRequest(method: .get, scheme: nil, authority: "example.org", path: "/"),
            body: .empty, serverName: "internal", serverPort: 8000, serverProtocol: "HTTP/2",
            metaVariables: ["SSL_PROTOCOL": "TLSv1.3"]
        )
        #expect(given.scheme == "http")
        #expect(given.serverName == "internal")
        #expect(given.serverPort == 8000)
        #expect(given.serverProtocol == "HTTP/2")
        #expect(given.metaVariables == ["SSL_PROTOCOL": "TLSv1.3"])
        #expect(given.headers["Host"] == "example.org")
    }

    @Test(
        "[REQ-15] a path no application may be handed fails to convert, as a server answers it 400",
        arguments: [
            ("/app/%2e%2e%2f%2e%2e%2fetc/passwd", UnsafePath.dotSegmentBehindEncodedSlash),
            ("/a%2Fb/..", .dotSegmentBehindEncodedSlash),
            ("/x%00y", .controlCharacter(0)),
        ])
    func unsafePath(path: String, reason: UnsafePath) {
        #expect(throws: HTTPTypesConversionError.unsafePath(path: path, reason: reason)) {
            try Request(HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: path), body: .empty)
        }
    }

    @Test("a request without a path (CONNECT) has no Sluice form")
    func missingPath() {
        #expect(throws: HTTPTypesConversionError.missingPath) {
            try Request(HTTPRequest(method: .connect, scheme: nil, authority: "example.org:443", path: nil), body: .empty)
        }
    }

    @Test("[SEC-2] a request with a field HTTPTypes would rewrite fails to convert")
    func invalidRequestField() {
        var request = Self.sluiceRequest()
        request.headers.append(name: "X-Evil", value: "a\nb")
        #expect(throws: HTTPTypesConversionError.invalidFieldValue(name: "X-Evil", value: "a\nb")) {
            try HTTPRequest(request)
        }
        request = Self.sluiceRequest(target: "/line\nbreak")
        #expect(throws: HTTPTypesConversionError.invalidFieldValue(name: ":path", value: "/line\nbreak")) {
            try HTTPRequest(request)
        }
    }

    @Test("[RESP-13] a response head round-trips: status, custom phrase, repeated Set-Cookie")
    func responseRoundTrip() throws {
        let response = Response(
            status: Response.Status(code: 201, reasonPhrase: "Made It"),
            headers: HeadersConversionTests.tricky,
            body: "dropped"
        )
        let head = try HTTPResponse(response)
        #expect(head.status.code == 201)
        #expect(head.status.reasonPhrase == "Made It")
        #expect(head.headerFields[values: .setCookie].count == 2)
        let back = Response(head)
        #expect(back.status == response.status)
        #expect(back.headers == response.headers)
        #expect(back.body.length == 0)
    }
}
