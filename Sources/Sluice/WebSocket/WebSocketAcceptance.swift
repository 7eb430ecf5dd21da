// What an application returns to accept a WebSocket.

/// An application's acceptance of a WebSocket: the subprotocol it chose and the session to run
/// once the handshake is complete (Spec WS-1).
///
/// Return one with ``Response/webSocket(subprotocol:headers:_:)``; the response's other header
/// fields (a `Set-Cookie`, say) go out with the `101 Switching Protocols`.
public struct WebSocketAcceptance: Sendable {
    /// The subprotocol the application speaks, one the client offered
    /// (``WebSocketHandshake/subprotocols``), or `nil` for none.
    public var subprotocol: String?
    /// Runs the conversation. The server closes the WebSocket when it returns: with 1000, or
    /// with 1011 when it throws (Spec WS-9).
    public var session: @Sendable (WebSocket) async throws -> Void

    /// An acceptance.
    public init(subprotocol: String? = nil, session: @escaping @Sendable (WebSocket) async throws -> Void) {
        self.subprotocol = subprotocol
        self.session = session
    }
}

extension Response.Status {
    /// 101 Switching Protocols: the status of a WebSocket acceptance.
    public static let switchingProtocols: Response.Status = 101
    /// 426 Upgrade Required.
    public static let upgradeRequired: Response.Status = 426
}

extension Response {
    /// Accepts the request's WebSocket and runs `session` once the handshake is complete.
    ///
    /// ```swift
    /// let echo = App { request in
    ///     .webSocket { socket in
    ///         for try await message in socket.messages where message.isData {
    ///             try await socket.send(message)
    ///         }
    ///     }
    /// }
    /// ```
    ///
    /// The server completes the handshake only for a request that makes one, on a server that
    /// supports WebSocket; otherwise it answers on its own — 501 where
    /// ``ServerCapabilities/supportsWebSocket`` is false, 426 or 400 for a request that is no
    /// valid handshake — and `session` never runs (Spec WS-4).
    public static func webSocket(
        subprotocol: String? = nil,
        headers: Headers = Headers(),
        _ session: @escaping @Sendable (WebSocket) async throws -> Void
    ) -> Response {
        var response = Response(status: .switchingProtocols, headers: headers)
        response.acceptedWebSocket = WebSocketAcceptance(subprotocol: subprotocol, session: session)
        return response
    }
}
