// Reading raw HTTP/1.1 replies: status lines and whether the server closed.

import IntegrationSupport

extension RawSocket.Reply {
    /// The status codes of every response in the reply, in order (interim ones included).
    var statusCodes: [Int] {
        text.components(separatedBy: "\r\n").compactMap { line in
            guard line.hasPrefix("HTTP/1."), line.count >= 12 else { return nil }
            return Int(line.dropFirst(9).prefix(3))
        }
    }

    /// Whether the server ended the connection (closed or reset) rather than the harness.
    var serverClosed: Bool { ending != .timedOut }
}
