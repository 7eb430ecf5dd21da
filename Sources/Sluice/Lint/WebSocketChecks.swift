// The checks of a WebSocket acceptance, as the application returns it (Spec WS-1, WS-5).

/// Checks an acceptance before the server completes its handshake.
enum WebSocketChecks {
    /// Every rule the acceptance in `response` breaks for `request`; empty for a valid one.
    static func violations(of acceptance: WebSocketAcceptance, in response: Response, for request: Request) -> [LintViolation] {
        var found: [LintViolation] = []
        if response.status.code != 101 {
            found.append(.application("WS-1", "a WebSocket acceptance has status \(response.status.code); Response.webSocket makes it 101"))
        }
        if !request.capabilities.supportsWebSocket {
            found.append(
                .application(
                    "WS-1", "the application accepts a WebSocket, but supportsWebSocket is false: the client gets 501",
                    severity: .warning
                ))
        }
        if let subprotocol = acceptance.subprotocol, let handshake = request.webSocketHandshake,
            !handshake.subprotocols.contains(subprotocol)
        {
            found.append(.application("WS-5", "subprotocol \(quoted(subprotocol)) was not offered: \(handshake.subprotocols)"))
        }
        for field in response.headers where FieldGrammar.lowercased(field.name).hasPrefix("sec-websocket-") {
            found.append(.application("WS-5", "field \(quoted(field.name)) is the handshake's; the server sets it"))
        }
        return found
    }
}
