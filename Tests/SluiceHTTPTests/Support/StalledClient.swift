// A client that sends a request and then reads nothing (for write timeouts), or reads only
// when told (for exchanges in steps).

import Foundation
import IntegrationSupport

/// A TCP connection to 127.0.0.1 that sends one request and reads only when asked.
struct StalledClient {
    private let descriptor: Int32

    init(port: Int, request: String) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var small: Int32 = 4096
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Foundation.close(descriptor)
            throw HarnessError("cannot connect to 127.0.0.1:\(port): errno \(errno)")
        }
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Sends more bytes.
    func send(_ text: String) {
        send(Array(text.utf8))
    }

    /// Sends more bytes, as many as the socket takes.
    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Closes with a reset (`SO_LINGER` of 0) instead of an orderly close.
    func reset() {
        var linger = Foundation.linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Foundation.linger>.size))
        Foundation.close(descriptor)
    }

    /// Reads until the server closes the connection or `timeout` passes. It blocks: call it
    /// with `onOwnThread`.
    func readToEnd(timeout: Duration) -> [UInt8] {
        read(timeout: timeout) { _ in false }
    }

    /// Reads until the bytes received contain `marker`, the server closes, or `timeout`
    /// passes; returns what arrived. It blocks: call it with `onOwnThread`.
    func read(until marker: String, timeout: Duration) -> [UInt8] {
        let wanted = Array(marker.utf8)
        return read(timeout: timeout) { $0.contains(wanted) }
    }

    /// Reads until at least `count` bytes arrived, the server closes, or `timeout` passes.
    func read(atLeast count: Int, timeout: Duration) -> [UInt8] {
        read(timeout: timeout) { $0.count >= count }
    }

    private func read(timeout: Duration, until isDone: ([UInt8]) -> Bool) -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline, !isDone(received) {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) >= 0 else { break }
            guard poller.revents != 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += buffer[..<count]
        }
        return received
    }

    func close() {
        Foundation.close(descriptor)
    }
}
