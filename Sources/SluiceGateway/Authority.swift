// The host and port an authority names: a Host field, HTTP/2's :authority, an absolute target's.

/// An authority split into host and port (RFC 9110 section 7.2; Spec REQ-8): `example.org:8080`,
/// `[::1]:8080`, `example.org`. Every adapter reads `serverName` and `serverPort` from a `Host`
/// field through this one parser.
///
/// The host loses the brackets of an IP literal and never keeps a port: an unclosed `[` names
/// no host. The port counts only when it is one to five decimal digits naming 1...65535;
/// anything else after the host — an empty port, letters, a sign, 0 — leaves ``port`` `nil`,
/// so the scheme's default applies.
public struct Authority: Sendable, Hashable {
    /// The host, without the brackets of an IP literal; empty when the authority names none.
    public var host: String
    /// The port, when the authority names a valid one.
    public var port: Int?

    /// An authority from its parts.
    public init(host: String, port: Int?) {
        self.host = host
        self.port = port
    }

    /// Splits `text`, a `Host` value or `:authority`.
    public init(_ text: some StringProtocol) {
        let bytes = text.utf8
        let portText: Substring.UTF8View
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else {
                host = ""
                port = nil
                return
            }
            host = String(Substring(text)[bytes.index(after: bytes.startIndex)..<close])
            portText = Substring(text)[bytes.index(after: close)...].utf8
        } else {
            let colon = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            host = String(Substring(text)[..<colon])
            portText = Substring(text)[colon...].utf8
        }
        port = Authority.port(portText)
    }

    /// The port `:digits` names, or `nil`.
    private static func port(_ text: Substring.UTF8View) -> Int? {
        guard text.first == UInt8(ascii: ":") else { return nil }
        let digits = text.dropFirst()
        guard (1...5).contains(digits.count), digits.allSatisfy(\.isDecimalDigit) else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return (1...65535).contains(value) ? value : nil
    }

    /// `serverName` and `serverPort` for a request to `authority` (Spec REQ-8, HTTP-1): the
    /// authority's host and port. Without a host, the host of `local`, the address the request
    /// arrived at, or `localhost`; without a port, `defaultPort` (the scheme's), or `local`'s
    /// port when the request names no authority at all.
    public static func server(
        of authority: String?, defaultPort: Int, local: (host: String, port: Int)? = nil
    ) -> (name: String, port: Int) {
        guard let authority, !authority.isEmpty else {
            return (local?.host ?? "localhost", local?.port ?? defaultPort)
        }
        let parsed = Authority(authority)
        return (parsed.host.isEmpty ? local?.host ?? "localhost" : parsed.host, parsed.port ?? defaultPort)
    }
}
