// The host and port named by an authority (a Host field or :authority).

/// An authority split into host and port: `example.org:8080`, `[::1]:8080`, `example.org`.
struct Authority {
    /// The host, without the brackets of an IPv6 literal.
    var host: String
    /// The port, when the authority names a valid one.
    var port: Int?

    init(_ text: String) {
        let hostEnd: String.Index
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            hostEnd = text.index(after: close)
        } else {
            hostEnd = text.firstIndex(of: ":") ?? text.endIndex
            host = String(text[..<hostEnd])
        }
        let portText = text[hostEnd...].dropFirst()
        port = text[hostEnd...].hasPrefix(":") ? Int(portText).flatMap { (1...65535).contains($0) ? $0 : nil } : nil
    }
}
