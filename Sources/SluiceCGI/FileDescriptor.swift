// Reading and writing a file descriptor with the system calls themselves: no stdio, no Foundation.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor: standard input or output of a CGI program, or whatever a test hands in.
struct FileDescriptor: Sendable {
    /// The descriptor number.
    let rawValue: Int32

    /// Reads at most `count` bytes; an empty array means end of file.
    ///
    /// Retries when interrupted, and waits when the descriptor is non-blocking and empty, so a
    /// caller sees only data, the end, or a real failure.
    func read(upTo count: Int) throws(DescriptorError) -> [UInt8] {
        var failure: DescriptorError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            while true {
                let result = systemRead(rawValue, buffer.baseAddress, count)
                if result >= 0 {
                    initialized = result
                    return
                }
                if retry(after: errno, waitingFor: Int16(POLLIN)) { continue }
                failure = DescriptorError(operation: "read", code: errno)
                initialized = 0
                return
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Writes every byte, however many `write` calls that takes.
    func write(_ bytes: [UInt8]) throws(DescriptorError) {
        let failure = bytes.withUnsafeBytes { buffer -> DescriptorError? in
            var offset = 0
            while offset < buffer.count {
                let result = systemWrite(rawValue, buffer.baseAddress! + offset, buffer.count - offset)
                if result >= 0 {
                    offset += result
                } else if !retry(after: errno, waitingFor: Int16(POLLOUT)) {
                    return DescriptorError(operation: "write", code: errno)
                }
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// Closes the descriptor.
    func close() {
        _ = systemClose(rawValue)
    }

    /// Whether a failed call should be made again: after a signal, or once a non-blocking
    /// descriptor is ready. A server may hand its CGI a non-blocking pipe.
    private func retry(after code: Int32, waitingFor events: Int16) -> Bool {
        switch code {
        case EINTR:
            return true
        case EAGAIN, EWOULDBLOCK:
            var waiting = pollfd(fd: rawValue, events: events, revents: 0)
            _ = poll(&waiting, 1, -1)
            return true
        default:
            return false
        }
    }
}

/// A read or write on a descriptor failed.
struct DescriptorError: Error, CustomStringConvertible {
    /// The call that failed, such as `write`.
    let operation: String
    /// Its `errno`.
    let code: Int32

    /// Whether the failure means the other end went away: the server stopped reading because
    /// its client disconnected.
    var isBrokenConnection: Bool { code == EPIPE || code == ECONNRESET }

    /// The call and the system's text for the error.
    var description: String { "\(operation) failed: \(String(cString: strerror(code))) (errno \(code))" }
}
