// One TCP connection the suite controls byte by byte: blocking POSIX sockets with a timeout on
// every wait, so a server that stops answering fails a case instead of hanging the suite.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the client gave up on a connection.
struct ClientError: Error, CustomStringConvertible {
    let description: String
}

/// A TCP connection to the server under test.
final class Connection: ByteSource {
    private var descriptor: Int32
    /// How long any one wait — for the connection, to send, for bytes — may take.
    let timeout: Duration
    /// Reads responses from the bytes this connection receives, keeping what follows one.
    private(set) lazy var responses = ResponseReader(source: self)

    /// Connects to `host:port`, trying each address the name resolves to.
    init(host: String, port: Int, timeout: Duration) throws {
        self.timeout = timeout
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if os(Linux)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var addresses: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &addresses)
        guard status == 0, let first = addresses else {
            throw ClientError(description: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var lastError: Int32 = 0
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let address = candidate {
            let socketDescriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            if socketDescriptor >= 0 {
                if Self.open(socketDescriptor, to: address.pointee, within: timeout) {
                    descriptor = socketDescriptor
                    return
                }
                lastError = errno
                _ = close(socketDescriptor)
            }
            candidate = address.pointee.ai_next
        }
        throw ClientError(description: "cannot connect to \(host):\(port): \(String(cString: strerror(lastError)))")
    }

    deinit { disconnect() }

    /// Sends every byte, waiting while the server does not read; throws on timeout or a closed
    /// connection.
    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            try wait(for: Int16(POLLOUT), doing: "send")
            let sent = bytes[offset...].withUnsafeBytes { buffer in
                send(descriptor, buffer.baseAddress, buffer.count, Self.noSignal)
            }
            if sent < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw ClientError(description: "send failed: \(String(cString: strerror(errno)))")
            }
            offset += sent
        }
    }

    /// Sends text as UTF-8.
    func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// The next bytes the server sent, `nil` once it closed its side; throws when none arrive
    /// within the timeout.
    func receive() throws -> [UInt8]? {
        try receive(within: timeout)
    }

    /// The next bytes within `limit`.
    func receive(within limit: Duration) throws -> [UInt8]? {
        try wait(for: Int16(POLLIN), doing: "receive", within: limit)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == ECONNRESET { return nil }
            throw ClientError(description: "receive failed: \(String(cString: strerror(errno)))")
        }
        return count == 0 ? nil : Array(buffer[..<count])
    }

    /// Whether the server closes the connection within `limit` (any bytes it sends first are
    /// read and dropped).
    func closesWithin(_ limit: Duration) -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            do {
                if try receive(within: deadline - ContinuousClock.now) == nil { return true }
            } catch {
                return false
            }
        }
        return false
    }

    /// Closes the sending side: the server reads end-of-file, the connection stays readable.
    func closeWrite() {
        _ = shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Closes the connection (idempotent).
    func disconnect() {
        guard descriptor >= 0 else { return }
        _ = close(descriptor)
        descriptor = -1
    }

    private func wait(for events: Int16, doing what: String, within limit: Duration? = nil) throws {
        guard descriptor >= 0 else { throw ClientError(description: "\(what) on a closed connection") }
        let deadline = ContinuousClock.now + (limit ?? timeout)
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw ClientError(description: "\(what) timed out after \((limit ?? timeout).milliseconds) ms") }
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(remaining.milliseconds + 1))
            if ready > 0 { return }
            if ready < 0, errno != EINTR {
                throw ClientError(description: "poll failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Connects without blocking past `limit`.
    private static func open(_ socketDescriptor: Int32, to address: addrinfo, within limit: Duration) -> Bool {
        let flags = fcntl(socketDescriptor, F_GETFL, 0)
        _ = fcntl(socketDescriptor, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(socketDescriptor, F_SETFL, flags) }
        if connect(socketDescriptor, address.ai_addr, address.ai_addrlen) == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var entry = pollfd(fd: socketDescriptor, events: Int16(POLLOUT), revents: 0)
        guard poll(&entry, 1, Int32(limit.milliseconds)) == 1 else {
            errno = ETIMEDOUT
            return false
        }
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(socketDescriptor, SOL_SOCKET, SO_ERROR, &failure, &length)
        errno = failure
        return failure == 0
    }

    /// A failed send on a closed connection must not kill the process with SIGPIPE.
    #if os(Linux)
    private static let noSignal = Int32(MSG_NOSIGNAL)
    #else
    private static let noSignal: Int32 = 0
    #endif
}

extension Duration {
    /// The duration in whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
