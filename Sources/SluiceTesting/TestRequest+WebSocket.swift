// Opening a WebSocket with the test client.

import Sluice

extension TestRequest {
    /// Sends the request as a WebSocket opening handshake and, once the application accepted,
    /// runs `talk` with the client's end of the WebSocket (Spec WS-1, WS-2).
    ///
    /// The request gets the handshake's fields — `Upgrade: websocket`, `Connection: Upgrade`, a
    /// `Sec-WebSocket-Key`, `Sec-WebSocket-Version: 13`, and `Sec-WebSocket-Protocol` listing
    /// `subprotocols` when there are any — unless the test set them itself. The request is a
    /// `GET` whatever its method, so that a test can send a broken handshake by setting fields.
    ///
    /// - Throws: ``TestClientError/webSocketRefused(_:)`` with the response when the application
    ///   or the server answered without switching protocols (Spec WS-4); ``LintFailure`` when
    ///   Lint reported an error; what `talk` throws.
    @discardableResult
    public func webSocket<Value>(subprotocols: [String] = [], _ talk: (TestWebSocket) async throws -> Value) async throws -> Value {
        var handshake = self
        for (name, value) in [
            ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ("Sec-WebSocket-Version", "13"),
        ] where !headers.contains(name) {
            handshake.headers.append(name: name, value: value)
        }
        if !subprotocols.isEmpty, !headers.contains("Sec-WebSocket-Protocol") {
            handshake.headers.append(name: "Sec-WebSocket-Protocol", value: subprotocols.joined(separator: ", "))
        }
        let (value, facts) = try await client.exchange(handshake) { streaming in
            guard let connection = streaming.exchangeFacts.webSocket else {
                var body: [UInt8] = []
                while let chunk = try? await streaming.exchange.receiveBodyChunk() { body += chunk }
                throw TestClientError.webSocketRefused(TestResponse(streaming, body: body, completion: await streaming.completion()))
            }
            let socket = TestWebSocket(connection: connection, server: streaming.server) { streaming.disconnect() }
            return try await talk(socket)
        }
        try client.checkLint(facts, response: nil)
        return value
    }
}
