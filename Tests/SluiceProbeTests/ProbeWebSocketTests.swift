// The probe's WebSocket endpoint, through the test client (Spec/probe.md §8).

import Sluice
import SluiceProbe
import SluiceTesting
import Testing

@Suite("The probe's WebSocket echo")
struct ProbeWebSocketTests {
    let client = TestClient(Probe())

    @Test("[WS-6] [WS-9] it echoes text and binary, accepts probe.v1, and closes as `close CODE REASON` asks")
    func echoAndClose() async throws {
        try await client.get("/_probe/websocket").webSocket(subprotocols: ["other", "probe.v1"]) { socket async throws in
            #expect(socket.subprotocol == "probe.v1")
            try await socket.send("hello")
            #expect(try await socket.receive() == .text("hello"))
            try await socket.send(.binary([1, 2, 3]))
            #expect(try await socket.receive() == .binary([1, 2, 3]))
            try await socket.send(.ping([9]))
            #expect(try await socket.receive() == .pong([9]))
            try await socket.send("close 4321 as asked")
            #expect(try await socket.receive() == nil)
            #expect(socket.closeReceived == WebSocketClose(code: 4321, reason: "as asked"))
        }
    }

    @Test("[WS-4] [REQ-14] it accepts whatever the server can do: where supportsWebSocket is false the server answers 501")
    func refusedWithoutSupport() async throws {
        var cgiLike = TestClient.capabilities
        cgiLike.supportsWebSocket = false
        do {
            try await TestClient(Probe(), lint: false, capabilities: cgiLike).get("/_probe/websocket").webSocket { _ in }
            Issue.record("accepted")
        } catch let TestClientError.webSocketRefused(response) {
            #expect(response.status.code == 501)
        }
    }

    @Test("[REQ-14] the report names supportsWebSocket")
    func reportsTheCapability() async throws {
        let response = try await client.get("/").send()
        #expect(response.text.contains(#""supportsWebSocket": true"#))
    }
}
