// The fields of a WebSocket opening handshake, for tests that send one with curl to a server
// that must refuse it (Spec WS-3, WS-4).

extension HTTPHeaderField {
    /// `Upgrade`, `Connection`, RFC 6455's sample `Sec-WebSocket-Key` and version 13: a complete
    /// opening handshake (RFC 6455 section 4.1) when sent on a `GET`.
    public static let webSocketHandshake = [
        HTTPHeaderField(name: "Upgrade", value: "websocket"), HTTPHeaderField(name: "Connection", value: "Upgrade"),
        HTTPHeaderField(name: "Sec-WebSocket-Key", value: "dGhlIHNhbXBsZSBub25jZQ=="),
        HTTPHeaderField(name: "Sec-WebSocket-Version", value: "13"),
    ]
}
