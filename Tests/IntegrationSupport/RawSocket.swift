// RawSocket.swift — exact bytes to a server and whatever comes back, for requests no
// well-behaved client would send (malformed framing, smuggling attempts, slow clients).
public import Foundation

/// A plain TCP exchange with a server under test.
public enum RawSocket {
    /// How the exchange ended.
    public enum Ending: Sendable, Hashable {
        /// The server closed the connection (read returned end of file).
        case closedByServer
        /// The server reset the connection.
        case resetByServer
        /// Nothing ended it before the timeout; the harness closed it.
        case timedOut
    }

    /// What came back from one exchange.
    public struct Reply: Sendable {
        /// Every byte received, in order.
        public let bytes: Data
        /// Why reading stopped.
        public let ending: Ending

        /// The bytes decoded as UTF-8, invalid bytes replaced.
        public var text: String {
            String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Connects to `host:port`, sends `bytes`, and reads until the server closes or
    /// resets the connection, or until `timeout` (from the connect) passes.
    ///
    /// - Parameter shutsDownWriting: After sending, half-close the connection
    ///   (`shutdown(SHUT_WR)`), telling the server no more bytes will come. Off by
    ///   default: some servers take a half-close for an aborted request.
    /// - Throws: `HarnessError` when it cannot connect or send.
    public static func exchange(
        _ bytes: Data,
        port: Int,
        host: String = "127.0.0.1",
        timeout: Duration = .seconds(5),
        shutsDownWriting: Bool = false
    ) async throws -> Reply {
        try await runBlocking {
            try exchangeBlocking(bytes, host: host, port: port, timeout: timeout, shutsDownWriting: shutsDownWriting)
        }
    }

    /// Sends `text` as UTF-8; write `\r\n` line ends yourself. See `exchange(_:port:host:timeout:shutsDownWriting:)`.
    public static func exchange(
        _ text: String,
        port: Int,
        host: String = "127.0.0.1",
        timeout: Duration = .seconds(5),
        shutsDownWriting: Bool = false
    ) async throws -> Reply {
        try await exchange(Data(text.utf8), port: port, host: host, timeout: timeout, shutsDownWriting: shutsDownWriting)
    }

    private static func exchangeBlocking(
        _ bytes: Data, host: String, port: Int, timeout: Duration, shutsDownWriting: Bool
    ) throws -> Reply {
        let deadline = ContinuousClock.now + timeout
        let descriptor = try LoopbackAddress.newStreamSocket()
        defer { close(descriptor) }
        let refusal = LoopbackAddress.connect(descriptor, to: try LoopbackAddress.make(host: host, port: port))
        guard refusal == 0 else {
            throw HarnessError.systemCall("connect to \(host):\(port)", errno: refusal)
        }
        try send(bytes, on: descriptor, to: "\(host):\(port)")
        if shutsDownWriting {
            shutdown(descriptor, Int32(SHUT_WR))
        }
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                return Reply(bytes: received, ending: .timedOut)
            }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(remaining / .milliseconds(1)) + 1)
            if ready < 0 && errno == EINTR {
                continue
            }
            guard ready > 0 else {
                return Reply(bytes: received, ending: .timedOut)
            }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received.append(contentsOf: buffer[..<count])
            } else if count == 0 {
                return Reply(bytes: received, ending: .closedByServer)
            } else if errno == ECONNRESET {
                return Reply(bytes: received, ending: .resetByServer)
            } else if errno != EINTR {
                throw HarnessError.systemCall("recv from \(host):\(port)", errno: errno)
            }
        }
    }

    private static func send(_ bytes: Data, on descriptor: Int32, to peer: String) throws {
        #if os(Linux)
        let flags = Int32(MSG_NOSIGNAL)  // a closed peer gives EPIPE, not a SIGPIPE that ends the test run
        #else
        let flags: Int32 = 0
        var on: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                Foundation.send(descriptor, raw.baseAddress! + sent, raw.count - sent, flags)
            }
            if count > 0 {
                sent += count
            } else if errno == EPIPE || errno == ECONNRESET {
                return  // the server stopped reading (an early error response?): read what it sent
            } else if errno != EINTR {
                throw HarnessError.systemCall("sending \(bytes.count) bytes to \(peer) (\(sent) sent)", errno: errno)
            }
        }
    }
}
