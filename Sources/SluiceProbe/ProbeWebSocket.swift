// The probe's WebSocket endpoint: an echo the conformance suite talks to (Spec/probe.md §8).

import Sluice

extension Probe {
    /// The subprotocol the probe accepts when a client offers it.
    static let webSocketSubprotocol = "probe.v1"

    /// `/_probe/websocket`: accepts the WebSocket — whatever the server can do, so that a server
    /// that cannot shows how it refuses (Spec WS-4) — and echoes every text and binary message;
    /// the text `close CODE REASON` makes it close with that code and reason instead.
    func webSocketEndpoint(_ request: Request) -> Response {
        let offered = request.webSocketHandshake?.subprotocols.contains(Self.webSocketSubprotocol) == true
        return .webSocket(subprotocol: offered ? Self.webSocketSubprotocol : nil) { socket in
            for try await message in socket.messages where message.isData {
                if case let .text(text) = message, let close = Self.closeCommand(text) {
                    return await socket.close(close)
                }
                try await socket.send(message)
            }
        }
    }

    /// The close a `close CODE REASON` text asks for.
    static func closeCommand(_ text: String) -> WebSocketClose? {
        let words = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard words.count >= 2, words[0] == "close", let code = UInt16(words[1]) else { return nil }
        return WebSocketClose(code: code, reason: words.count > 2 ? String(words[2]) : "")
    }
}
