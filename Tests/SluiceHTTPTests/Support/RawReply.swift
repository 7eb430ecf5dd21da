// Reading raw HTTP/1.1 replies: status lines and whether the server closed.

import IntegrationSupport

extension RawSocket.Reply {
    /// The status codes of every response in the reply, in order (interim ones included).
    var statusCodes: [Int] {
        // Split bytes, not Characters: "\r\n" is one Character in Swift.
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).compactMap { line in
            let text = String(decoding: line, as: UTF8.self)
            guard text.hasPrefix("HTTP/1."), text.utf8.count >= 12 else { return nil }
            return Int(text.dropFirst(9).prefix(3))
        }
    }

    /// Whether the server ended the connection (closed or reset) rather than the harness.
    var serverClosed: Bool { ending != .timedOut }
}
