// The opening handshake a request makes, as the core reads it from the request's fields
// (Spec WS-2), and why one is refused (Spec WS-4).

import Testing

@testable import Sluice

@Suite("WebSocket: the handshake a request makes")
struct WebSocketHandshakeTests {
    /// RFC 6455's sample key.
    static let key = "dGhlIHNhbXBsZSBub25jZQ=="

    /// A valid handshake, changed as a test needs.
    static func request(
        method: Request.Method = .get, version: String = "HTTP/1.1", body: RequestBody = .empty,
        _ fields: [(String, String)] = [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Key", key), ("Sec-WebSocket-Version", "13")]
    ) -> Request {
        Request(method: method, target: "/ws", pathInfo: "/ws", headers: Headers(fields), serverProtocol: version, body: body)
    }

    static func fields(replacing name: String, with value: String?) -> [(String, String)] {
        var fields = [("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Key", key), ("Sec-WebSocket-Version", "13")]
        fields.removeAll { $0.0 == name }
        if let value { fields.append((name, value)) }
        return fields
    }

    @Test("[WS-2] a GET with Upgrade, Connection, a 16-byte key and version 13 is a handshake")
    func validHandshake() {
        let handshake = Self.request().webSocketHandshake
        #expect(handshake == WebSocketHandshake(key: Self.key))
    }

    @Test("[WS-2] Upgrade and Connection are lists, compared without case; other protocols may be listed")
    func listsWithoutCase() {
        let request = Self.request([
            ("UPGRADE", "h2c, WebSocket"), ("connection", "keep-alive"), ("Connection", " upgrade "),
            ("sec-websocket-key", Self.key), ("Sec-WebSocket-Version", "13"),
        ])
        #expect(request.webSocketHandshake != nil)
    }

    @Test("[WS-2] subprotocols in the client's order, across repeated fields; extensions as sent")
    func subprotocolsAndExtensions() {
        var fields = Self.fields(replacing: "X", with: nil)
        fields += [
            ("Sec-WebSocket-Protocol", "chat.v2, chat.v1"), ("Sec-WebSocket-Protocol", "json"),
            ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"),
        ]
        let handshake = Self.request(fields).webSocketHandshake
        #expect(handshake?.subprotocols == ["chat.v2", "chat.v1", "json"])
        #expect(handshake?.extensions == ["permessage-deflate; client_max_window_bits"])
    }

    @Test("[WS-2] [WS-4] without Upgrade: websocket a request makes no handshake (426)")
    func notAnUpgrade() {
        #expect(WebSocketHandshake.of(Self.request(Self.fields(replacing: "Upgrade", with: nil))) == .failure(.notAnUpgrade))
        #expect(WebSocketHandshake.of(Self.request(Self.fields(replacing: "Upgrade", with: "h2c"))) == .failure(.notAnUpgrade))
        #expect(WebSocketHandshake.of(Self.request([])) == .failure(.notAnUpgrade))
    }

    @Test("[WS-2] [WS-4] another version is unsupported (426); no version at all is malformed (400)")
    func versions() {
        #expect(WebSocketHandshake.of(Self.request(Self.fields(replacing: "Sec-WebSocket-Version", with: "8"))) == .failure(.unsupportedVersion("8")))
        let repeated = Self.fields(replacing: "X", with: nil) + [("Sec-WebSocket-Version", "13")]
        #expect(WebSocketHandshake.of(Self.request(repeated)) == .failure(.unsupportedVersion("13, 13")))
        guard case .failure(.malformed) = WebSocketHandshake.of(Self.request(Self.fields(replacing: "Sec-WebSocket-Version", with: nil))) else {
            Issue.record("a handshake without a version was not malformed")
            return
        }
    }

    /// A request that asks for a WebSocket but breaks the handshake's rules, named for the output.
    struct Malformed: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let request: Request
    }

    static let malformedRequests = [
        Malformed(testDescription: "method POST", request: request(method: .post)),
        Malformed(testDescription: "HTTP/1.0", request: request(version: "HTTP/1.0")),
        Malformed(testDescription: "a body", request: request(body: RequestBody(bytes: [1]))),
        Malformed(testDescription: "Connection without upgrade", request: request(fields(replacing: "Connection", with: "keep-alive"))),
        Malformed(testDescription: "no key", request: request(fields(replacing: "Sec-WebSocket-Key", with: nil))),
        Malformed(testDescription: "a key of 15 bytes", request: request(fields(replacing: "Sec-WebSocket-Key", with: "AAAAAAAAAAAAAAAAAAAA"))),
        Malformed(testDescription: "a key of 17 bytes", request: request(fields(replacing: "Sec-WebSocket-Key", with: "AAAAAAAAAAAAAAAAAAAAAAA="))),
        Malformed(
            testDescription: "a key whose last digit has bits past 16 bytes",
            request: request(fields(replacing: "Sec-WebSocket-Key", with: "dGhlIHNhbXBsZSBub25jZR=="))
        ),
        Malformed(testDescription: "a key that is not base64", request: request(fields(replacing: "Sec-WebSocket-Key", with: "dGhlIHNhbXBsZSBub2*jZQ=="))),
        Malformed(testDescription: "two keys", request: request(fields(replacing: "X", with: nil) + [("Sec-WebSocket-Key", key)])),
        Malformed(testDescription: "a subprotocol that is not a token", request: request(fields(replacing: "Sec-WebSocket-Protocol", with: "chat v1"))),
    ]

    @Test("[WS-2] [WS-4] a handshake that breaks the rules otherwise is malformed (400)", arguments: malformedRequests)
    func malformed(_ malformed: Malformed) {
        guard case .failure(.malformed) = WebSocketHandshake.of(malformed.request) else {
            Issue.record("\(malformed.testDescription): not refused as malformed")
            return
        }
        #expect(malformed.request.webSocketHandshake == nil)
    }

    @Test("[WS-9] a close goes on the wire with a valid code and a reason of at most 123 bytes")
    func sendableClose() {
        #expect(WebSocketClose(code: 4000, reason: "ok").sendable == WebSocketClose(code: 4000, reason: "ok"))
        #expect(WebSocketClose(code: 1005).sendable.code == 1011)
        #expect(WebSocketClose(code: 999).sendable.code == 1011)
        #expect(WebSocketClose(code: 2000).sendable.code == 1011)
        let long = WebSocketClose(code: 1000, reason: String(repeating: "é", count: 100))
        #expect(long.sendable.reason.utf8.count == 122)
        #expect(!long.isSendable && long.sendable.isSendable)
        for code: UInt16 in [1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4999] {
            #expect(WebSocketClose.isValidOnTheWire(code), "\(code)")
        }
        for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000] {
            #expect(!WebSocketClose.isValidOnTheWire(code), "\(code)")
        }
    }
}
