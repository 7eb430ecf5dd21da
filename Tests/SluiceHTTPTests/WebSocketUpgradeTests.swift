// The switch from HTTP to WebSocket, in memory: the 101, bytes sent behind the handshake, an
// upgrade not taken, a graceful stop and the close timeout, on NIO's EmbeddedChannel (Spec WS-1,
// WS-5, WS-9, WS-10, WS-12, WS-13).

import NIOCore
import Sluice
import Testing

@testable import SluiceHTTP

@Suite("WebSocket: the upgrade, in memory")
struct WebSocketUpgradeTests {
    /// `/echo` echoes data messages; `/close` closes at once with 4000; `/plain` answers 200
    /// without accepting; every session notes how it ended in `journal`.
    static func app(journal: Journal = Journal()) -> App {
        App { request in
            switch request.pathInfo {
            case "/plain":
                return .text("no upgrade\n")
            case "/close":
                return .webSocket { socket in
                    await socket.close(WebSocketClose(code: 4000, reason: "bye"))
                    journal.record("closed")
                }
            default:
                return .webSocket { socket in
                    do {
                        for try await message in socket.messages where message.isData { try await socket.send(message) }
                        journal.record("ended \(socket.closeReceived.map { "\($0)" } ?? "nil")")
                    } catch {
                        journal.record("\(error), cancelled: \(Task.isCancelled)")
                        throw error
                    }
                }
            }
        }
    }

    /// The output split at the end of the HTTP head: the head as text (without `Date`), the
    /// frames after it.
    static func split(_ bytes: [UInt8]) -> (head: String, frames: [WebSocketWire.ServerFrame]) {
        let end = Array("\r\n\r\n".utf8)
        guard let at = (0...(max(bytes.count - 4, -1))).first(where: { Array(bytes[$0..<$0 + 4]) == end }) else {
            return ("", WebSocketWire.serverFrames(bytes))
        }
        let head = String(decoding: bytes[..<(at + 4)], as: UTF8.self).replacing(/Date: [^\r]*\r\n/, with: "")
        return (head, WebSocketWire.serverFrames(Array(bytes[(at + 4)...])))
    }

    @Test("[WS-1] [WS-5] the 101 carries RFC 6455's accept value, and frames sent behind the handshake in one read are answered")
    func upgradeWithFramesBehind() throws {
        let connection = try EmbeddedConnection(Self.app())
        try connection.send(bytes: Array(WebSocketWire.handshake("/echo").utf8) + WebSocketWire.text("hi") + WebSocketWire.binary([1, 2]))
        let (head, frames) = Self.split(connection.outputBytes())
        #expect(head == WebSocketWire.switchingProtocols)
        #expect(frames == [.init(fin: true, opcode: 0x1, payload: Array("hi".utf8)), .init(fin: true, opcode: 0x2, payload: [1, 2])])
        try connection.send(bytes: WebSocketWire.close(1000))
        #expect(WebSocketWire.serverFrames(connection.outputBytes()).map(\.closeCode) == [1000])
        #expect(connection.isClosed)
    }

    @Test("[WS-5] the subprotocol goes out as Sec-WebSocket-Protocol, with the application's fields")
    func subprotocol() throws {
        let app = App { _ in .webSocket(subprotocol: "chat", headers: ["Set-Cookie": "a=1"]) { socket in await socket.close() } }
        let connection = try EmbeddedConnection(app)
        try connection.send(WebSocketWire.handshake(extra: "Sec-WebSocket-Protocol: mqtt, chat\r\n"))
        #expect(
            Self.split(connection.outputBytes()).head == """
                HTTP/1.1 101 Switching Protocols\r\nSet-Cookie: a=1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
                Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n
                """)
    }

    @Test("[WS-13] an upgrade request answered without a 101 closes the connection; what followed is not read as HTTP")
    func upgradeNotTaken() throws {
        let journal = Journal()
        let connection = try EmbeddedConnection(
            App { request in
                journal.record(request.pathInfo)
                return .text("no upgrade\n")
            })
        try connection.send(WebSocketWire.handshake("/plain") + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(connection.output() == textResponse("no upgrade\n", closes: true))
        #expect(journal.entries == ["/plain"])
    }

    @Test("[WS-13] [WS-4] an upgrade to another protocol at a WebSocket endpoint: 426 with Upgrade, and the connection closes")
    func otherUpgrade() throws {
        let connection = try EmbeddedConnection(Self.app())
        try connection.send("GET /echo HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n")
        let output = connection.output()
        #expect(output.hasPrefix("HTTP/1.1 426 Upgrade Required\r\n"))
        #expect(output.contains("Upgrade: websocket\r\nConnection: Upgrade\r\n"))
        #expect(output.contains("Connection: close\r\n"))
    }

    /// A hostile or broken handshake, as raw bytes, and what it gets.
    struct BrokenHandshake: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var request: String
        var status: String
        /// Whether the request asked to switch protocols (`Connection: upgrade`), so that its
        /// connection closes after the refusal (Spec WS-13).
        var closes = true
    }

    static let key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    static let brokenHandshakes = [
        BrokenHandshake(
            // The server carries WebSocket for HTTP/1.1 only: supportsWebSocket is false, so 501.
            testDescription: "HTTP/1.0", request: "GET /echo HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\(key)Sec-WebSocket-Version: 13\r\n\r\n",
            status: "501 Not Implemented"
        ),
        BrokenHandshake(
            testDescription: "POST",
            request:
                "POST /echo HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\(key)Sec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n",
            status: "400 Bad Request"
        ),
        BrokenHandshake(
            testDescription: "a body, whose bytes would otherwise pass for frames",
            request: WebSocketWire.handshake("/echo", extra: "Content-Length: 8\r\n") + String(decoding: WebSocketWire.text("hi"), as: UTF8.self),
            status: "400 Bad Request"
        ),
        BrokenHandshake(
            testDescription: "a chunked body", request: WebSocketWire.handshake("/echo", extra: "Transfer-Encoding: chunked\r\n") + "0\r\n\r\n",
            status: "400 Bad Request"),
        BrokenHandshake(
            testDescription: "two keys", request: WebSocketWire.handshake("/echo", extra: "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n"),
            status: "400 Bad Request"
        ),
        BrokenHandshake(
            testDescription: "a key of 15 bytes",
            request:
                "GET /echo HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA\r\nSec-WebSocket-Version: 13\r\n\r\n",
            status: "400 Bad Request"
        ),
        BrokenHandshake(
            testDescription: "no version", request: "GET /echo HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\(key)\r\n",
            status: "400 Bad Request"
        ),
        BrokenHandshake(
            testDescription: "version 8",
            request: "GET /echo HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\(key)Sec-WebSocket-Version: 8\r\n\r\n",
            status: "426 Upgrade Required"
        ),
        BrokenHandshake(
            testDescription: "Upgrade without Connection: upgrade",
            request: "GET /echo HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\(key)Sec-WebSocket-Version: 13\r\n\r\n", status: "400 Bad Request", closes: false
        ),
        BrokenHandshake(
            testDescription: "a subprotocol that is not a token", request: WebSocketWire.handshake("/echo", extra: "Sec-WebSocket-Protocol: chat, a b\r\n"),
            status: "400 Bad Request"
        ),
    ]

    @Test(
        "[WS-2] [WS-4] [WS-13] a broken handshake is refused with its status, no 101 and no frame; an upgrade request's connection closes",
        arguments: brokenHandshakes)
    func brokenHandshake(_ handshake: BrokenHandshake) throws {
        let journal = Journal()
        let connection = try EmbeddedConnection(Self.app(journal: journal))
        try connection.send(handshake.request)
        let output = connection.output()
        #expect(output.hasPrefix("HTTP/1.\(handshake.request.contains("HTTP/1.0\r\n") ? "0" : "1") \(handshake.status)\r\n"), "\(output)")
        #expect(!output.contains("Sec-WebSocket-Accept"))
        #expect(connection.isClosed == handshake.closes)
        #expect(journal.entries.isEmpty, "no session ran")
    }

    @Test("[WS-4] a plain GET of a WebSocket endpoint gets 426 and keeps the connection")
    func plainGet() throws {
        let connection = try EmbeddedConnection(Self.app())
        try connection.send("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n")
        let output = connection.output()
        #expect(output.hasPrefix("HTTP/1.1 426 Upgrade Required\r\n"))
        #expect(!output.contains("Connection: close"))
        #expect(!connection.isClosed)
    }

    @Test("[WS-9] the session's close goes out; without the client's answer the connection closes after the close timeout")
    func closeTimeout() throws {
        let journal = Journal()
        let connection = try EmbeddedConnection(Self.app(journal: journal), timeouts: .init(webSocketClose: .seconds(5)))
        try connection.send(WebSocketWire.handshake("/close"))
        let (_, frames) = Self.split(connection.outputBytes())
        #expect(frames == [.init(fin: true, opcode: 0x8, payload: [0x0F, 0xA0] + Array("bye".utf8))])
        connection.advanceTime(by: .seconds(4))
        #expect(!connection.isClosed)
        #expect(journal.entries.isEmpty)
        connection.advanceTime(by: .seconds(1))
        #expect(connection.isClosed)
        #expect(journal.entries == ["closed"])
    }

    @Test("[WS-12] a graceful stop closes an open WebSocket with 1001; the client's answer closes the connection")
    func stopClosesWith1001() throws {
        let journal = Journal()
        let connection = try EmbeddedConnection(Self.app(journal: journal))
        try connection.send(WebSocketWire.handshake("/echo"))
        _ = connection.outputBytes()
        connection.stop()
        #expect(WebSocketWire.serverFrames(connection.outputBytes()).map(\.closeCode) == [1001])
        // The messages ended when the server's close went out, before the client's answer.
        #expect(journal.entries == ["ended nil"])
        try connection.send(bytes: WebSocketWire.close(1001))
        #expect(connection.isClosed)
    }

    @Test("[WS-12] a WebSocket accepted while the server stops closes with 1001 at once")
    func acceptedDuringStop() throws {
        let gate = Gate()
        let app = App { _ in
            await gate.wait()
            return .webSocket { socket in for try await _ in socket.messages {} }
        }
        let connection = try EmbeddedConnection(app)
        try connection.send(WebSocketWire.handshake())
        connection.stop()
        gate.open()
        connection.run()
        let (head, frames) = Self.split(connection.outputBytes())
        #expect(head == WebSocketWire.switchingProtocols)
        #expect(frames.map(\.closeCode) == [1001])
    }

    @Test("[WS-10] a connection that drops while open fails the session's read with ClientDisconnected and cancels it")
    func drop() throws {
        let journal = Journal()
        let connection = try EmbeddedConnection(Self.app(journal: journal))
        try connection.send(WebSocketWire.handshake("/echo"))
        _ = connection.outputBytes()
        try connection.channel.close().wait()
        connection.run()
        #expect(journal.entries == ["\(ClientDisconnected()), cancelled: true"])
    }
}
