// The one mapping from an HTTP request head to a Request, which SluiceHTTP, SluiceHTTPTypes
// and the test client share (Spec HTTP-1, REQ-3 to REQ-9, REQ-15).

import Sluice
import SluiceGateway
import Testing

@Suite("Request head")
struct RequestHeadTests {
    static func head(_ target: String, authority: String? = nil, scheme: String = "http") -> RequestHead {
        RequestHead(
            method: .get, target: target, headers: authority.map { ["Host": $0] } ?? Headers(),
            authority: authority, serverProtocol: "HTTP/1.1", scheme: scheme
        )
    }

    @Test("[REQ-3] [REQ-4] the decoded path splits at the mount; outside it, the head maps to no request")
    func pathAtMount() throws {
        let head = Self.head("/app/a%20b/c?x=1")
        #expect(try head.path(mountedAt: "/app/") == ("/app", "/a b/c"))
        #expect(try head.path(mountedAt: "") == ("", "/app/a b/c"))
        #expect(throws: RequestHeadError.outsideMount(path: "/app/a b/c", mount: "/other")) { try head.path(mountedAt: "/other") }
    }

    @Test("[REQ-15] a path no application may be handed maps to no request", arguments: ["/a/%2e%2e%2fb", "/a%00b", "/a\u{7F}"])
    func unsafePath(target: String) {
        #expect {
            try Self.head(target).path(mountedAt: "")
        } throws: { error in
            guard case .unsafePath(target, _)? = error as? RequestHeadError else { return false }
            return true
        }
    }

    @Test("[REQ-5] [REQ-8] [REQ-9] target and query raw, fields in order, server from the authority, scheme from the connection")
    func mapping() throws {
        let head = Self.head("/a%2Fb?q=1+2&r=%20", authority: "[::1]:8443", scheme: "https")
        let request = Request(head: head, pathInfo: "/a/b", remoteAddress: "::2", remotePort: 5000, body: .empty)
        #expect(request.target == "/a%2Fb?q=1+2&r=%20")
        #expect(request.queryString == "q=1+2&r=%20")
        #expect(request.scriptName == "" && request.pathInfo == "/a/b")
        #expect(request.headers["Host"] == "[::1]:8443")
        #expect(request.serverName == "::1" && request.serverPort == 8443)
        #expect(request.scheme == "https" && request.serverProtocol == "HTTP/1.1")
        #expect(request.remoteAddress == "::2" && request.remotePort == 5000)
    }

    @Test("[REQ-8] without an authority: the local address, else localhost and the scheme's port; given values win")
    func serverFallbacks() {
        let bare = Self.head("/", scheme: "https")
        #expect(Request(head: bare, pathInfo: "/", body: .empty).serverName == "localhost")
        #expect(Request(head: bare, pathInfo: "/", body: .empty).serverPort == 443)
        let local = Request(head: bare, pathInfo: "/", local: ("10.0.0.1", 8443), body: .empty)
        #expect(local.serverName == "10.0.0.1" && local.serverPort == 8443)
        let given = Request(head: Self.head("/", authority: "example.org:81"), pathInfo: "/", serverName: "internal", body: .empty)
        #expect(given.serverName == "internal" && given.serverPort == 81)
    }
}
