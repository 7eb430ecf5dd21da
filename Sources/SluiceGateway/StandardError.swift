// The process's standard error: where servers write their own messages and, by default,
// the requests' diagnostics (Spec REQ-13).

public import Sluice

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes lines to the process's standard error, each in one `write` where possible, so
/// lines from several threads do not interleave.
public enum StandardError {
    /// Writes `line`, and a newline unless it ends with one. Retries when interrupted and
    /// waits when the descriptor is non-blocking and full; gives up on any other failure
    /// (there is nowhere left to report it).
    public static func write(line: String) {
        var line = line
        if !line.hasSuffix("\n") { line += "\n" }
        line.withUTF8 { writeToStandardError(UnsafeRawBufferPointer($0)) }
    }
}

extension ErrorLog {
    /// A log that writes each message as a line to the process's standard error
    /// (``StandardError/write(line:)``): where a CGI program's diagnostics go, and a FastCGI
    /// responder's own.
    public static let standardError = ErrorLog { message in
        StandardError.write(line: message)
    }
}

/// Writes every byte to descriptor 2, as ``StandardError/write(line:)`` says.
private func writeToStandardError(_ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    while offset < bytes.count {
        let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
        if written > 0 {
            offset += written
        } else if written < 0, errno == EINTR {
            continue
        } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
            var waiting = pollfd(fd: 2, events: Int16(POLLOUT), revents: 0)
            _ = poll(&waiting, 1, -1)
        } else {
            return
        }
    }
}
