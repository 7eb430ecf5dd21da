// A front server played by the test: a connection to the responder that sends raw records
// and reads the reply. The fault and slow-client tests also use it, over TCP, to send raw
// HTTP to nginx.

import Foundation
import Glibc

/// One connection to a responder's unix socket.
final class FastCGIClient: @unchecked Sendable {
    let descriptor: Int32
    private var unread: [UInt8] = []

    /// Connects to the socket at `path`.
    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw ClientError("cannot connect to \(path): errno \(errno)")
        }
    }

    /// Connects to TCP port `port` of 127.0.0.1.
    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw ClientError("cannot connect to 127.0.0.1:\(port): errno \(errno)")
        }
    }

    deinit {
        close(descriptor)
    }

    /// Sends bytes; false when the responder has closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
    }

    /// Reads records until END_REQUEST for `requestID`, the connection's end, `timeout`, or
    /// (when given) the output containing `marker` or `condition` holding.
    func reply(
        timeout: Duration = .seconds(10), requestID: UInt16 = 1, stopAfterOutput marker: String? = nil,
        until condition: ((FastCGIReply) -> Bool)? = nil
    ) -> FastCGIReply {
        var reply = FastCGIReply(requestID: requestID)
        let deadline = ContinuousClock.now + timeout
        while true {
            if let used = reply.consume(unread) {
                unread.removeFirst(used)
            }
            if reply.ended { return reply }
            if let marker, String(decoding: reply.output, as: UTF8.self).contains(marker) { return reply }
            if let condition, condition(reply) { return reply }
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                reply.timedOut = true
                return reply
            }
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
            guard poll(&waiting, 1, max(1, milliseconds)) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else {
                reply.closed = true
                return reply
            }
            unread += buffer.prefix(count)
        }
    }

    /// Whether the responder closed the connection within `timeout` (reading past any data).
    func closesWithin(_ timeout: Duration) -> Bool {
        reply(timeout: timeout).closed
    }
}

struct ClientError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
