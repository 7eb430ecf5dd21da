// Reading and writing a connection's socket, with each failure an outcome instead of errno.

#if os(Linux)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls a worker makes on its connection. The socket blocks, with the read
/// timeout set on it at accept (``ListeningSocket``): a read asked to wait waits at most that
/// long, one asked not to wait returns at once.
enum SocketIO {
    /// What a read got.
    enum Received: Equatable {
        /// This many bytes.
        case bytes(Int)
        /// None yet: the read was not to wait, or the read timeout passed.
        case nothingYet
        /// The peer closed or reset the connection.
        case ended
    }

    /// Reads into `buffer`.
    static func receive(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, waiting: Bool) -> Received {
        guard !buffer.isEmpty else { return .nothingYet }
        while true {
            let count = recv(descriptor, buffer.baseAddress, buffer.count, waiting ? 0 : Int32(MSG_DONTWAIT))
            if count > 0 { return .bytes(count) }
            if count == 0 { return .ended }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .nothingYet
            default: return .ended
            }
        }
    }

    /// Sends all of `bytes`; false when the connection failed or a write timed out.
    static func send(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if count > 0 {
                offset += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    /// Sends all the bytes of `pieces`, in order, in as few calls as the socket allows; the
    /// pieces are consumed. False when the connection failed or a write timed out.
    static func send(_ descriptor: Int32, _ pieces: UnsafeMutableBufferPointer<iovec>) -> Bool {
        var first = 0
        while first < pieces.count {
            var message = msghdr()
            message.msg_iov = pieces.baseAddress! + first
            // At most IOV_MAX pieces a call.
            message.msg_iovlen = min(pieces.count - first, 1024)
            var count = sendmsg(descriptor, &message, Int32(MSG_NOSIGNAL))
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            while first < pieces.count && count >= pieces[first].iov_len {
                count -= pieces[first].iov_len
                first += 1
            }
            if count > 0 {
                pieces[first].iov_base = pieces[first].iov_base! + count
                pieces[first].iov_len -= count
            }
        }
        return true
    }

    /// Waits until `descriptor` is readable or `timeout` passed; false when it passed.
    static func waitReadable(_ descriptor: Int32, within timeout: Duration) -> Bool {
        var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = max(0, Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        while true {
            let ready = poll(&waiting, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            return ready != 0
        }
    }
}

#endif
