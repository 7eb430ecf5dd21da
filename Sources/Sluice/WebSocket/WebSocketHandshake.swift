// The WebSocket opening handshake a request may carry (RFC 6455 section 4.2.1).

/// What a client asked for when its request opens a WebSocket: the handshake's key and the
/// subprotocols and extensions it offers (Spec WS-2).
///
/// ```swift
/// guard let handshake = request.webSocketHandshake else { return .text("use a WebSocket", status: 426) }
/// let chat = handshake.subprotocols.contains("chat.v2") ? "chat.v2" : nil
/// return .webSocket(subprotocol: chat) { socket in ... }
/// ```
public struct WebSocketHandshake: Sendable, Hashable {
    /// `Sec-WebSocket-Key`: the nonce from which the server computes `Sec-WebSocket-Accept`.
    public let key: String
    /// `Sec-WebSocket-Protocol`: the subprotocols the client offers, in its order of preference.
    public let subprotocols: [String]
    /// `Sec-WebSocket-Extensions`: the extension offers, as sent. Servers of Sluice 1.1 accept
    /// none of them (Spec WS-5).
    public let extensions: [String]

    /// A handshake, for servers and tests that build one.
    public init(key: String, subprotocols: [String] = [], extensions: [String] = []) {
        self.key = key
        self.subprotocols = subprotocols
        self.extensions = extensions
    }

    /// Why a request is not a handshake the server can complete.
    package enum Failure: Error, Hashable {
        /// The request does not ask for a WebSocket: no `Upgrade: websocket`.
        case notAnUpgrade
        /// It asks for a protocol version other than 13.
        case unsupportedVersion(String)
        /// It asks, but breaks the handshake's rules.
        case malformed(String)
    }

    /// The handshake `request` makes, or why it makes none (RFC 6455 section 4.2.1): a `GET` in
    /// HTTP/1.1 or later, with no body, `Upgrade` naming `websocket`, `Connection` naming
    /// `upgrade`, one `Sec-WebSocket-Key` of 16 bytes in base64 and `Sec-WebSocket-Version: 13`.
    package static func of(_ request: Request) -> Result<WebSocketHandshake, Failure> {
        let headers = request.headers
        guard listContains(headers.values(for: "Upgrade"), "websocket") else { return .failure(.notAnUpgrade) }
        guard request.method == .get else { return .failure(.malformed("method \(request.method), not GET")) }
        guard request.serverProtocol != "HTTP/1.0", request.serverProtocol != "HTTP/0.9" else {
            return .failure(.malformed("\(request.serverProtocol) has no upgrades"))
        }
        guard listContains(headers.values(for: "Connection"), "upgrade") else {
            return .failure(.malformed("Connection does not name upgrade"))
        }
        guard request.body.isKnownEmpty else { return .failure(.malformed("the handshake has a body")) }
        let versions = headers.values(for: "Sec-WebSocket-Version")
        guard !versions.isEmpty else { return .failure(.malformed("no Sec-WebSocket-Version")) }
        guard versions == ["13"] else { return .failure(.unsupportedVersion(versions.joined(separator: ", "))) }
        let keys = headers.values(for: "Sec-WebSocket-Key")
        guard keys.count == 1, let key = keys.first, isNonce(key) else {
            return .failure(.malformed("Sec-WebSocket-Key is not one base64 value of 16 bytes"))
        }
        let subprotocols = listElements(headers.values(for: "Sec-WebSocket-Protocol"))
        guard subprotocols.allSatisfy(FieldGrammar.isToken) else {
            return .failure(.malformed("Sec-WebSocket-Protocol lists a value that is not a token"))
        }
        let extensions = listElements(headers.values(for: "Sec-WebSocket-Extensions"))
        return .success(WebSocketHandshake(key: key, subprotocols: subprotocols, extensions: extensions))
    }

    /// The elements of comma-separated list fields (RFC 9110 section 5.6.1), trimmed, empty
    /// ones dropped.
    static func listElements(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }
            .map { String(trimmed($0)) }
            .filter { !$0.isEmpty }
    }

    /// The text without the spaces and tabs around it.
    private static func trimmed(_ text: Substring) -> Substring {
        let isWhitespace = { (character: Character) in character == " " || character == "\t" }
        var trimmed = text.drop(while: isWhitespace)
        while let last = trimmed.last, isWhitespace(last) { trimmed = trimmed.dropLast() }
        return trimmed
    }

    /// Whether a list field names `token`, compared without ASCII case.
    private static func listContains(_ values: [String], _ token: String) -> Bool {
        listElements(values).contains { $0.equalsIgnoringASCIICase(token) }
    }

    /// Whether `key` is 16 bytes in base64: 22 digits, the last with its four low bits zero,
    /// then `==`.
    private static func isNonce(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard bytes.count == 24, bytes[22] == UInt8(ascii: "="), bytes[23] == UInt8(ascii: "=") else { return false }
        return bytes[..<21].allSatisfy(isBase64Digit) && "AQgw".utf8.contains(bytes[21])
    }

    private static func isBase64Digit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "+"), UInt8(ascii: "/"):
            true
        default: false
        }
    }
}

extension Request {
    /// The WebSocket opening handshake this request makes, or `nil` when it makes none that a
    /// server could complete (Spec WS-2). Whether the server can complete it at all is
    /// ``ServerCapabilities/supportsWebSocket``.
    public var webSocketHandshake: WebSocketHandshake? {
        try? WebSocketHandshake.of(self).get()
    }
}
