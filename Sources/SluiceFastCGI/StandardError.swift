// The process's standard error: where a FastCGI responder's own messages go, and a copy of
// each request's diagnostics (which also go to the front server as FCGI_STDERR).

#if os(Linux)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Sluice

extension ErrorLog {
    /// A log that writes each message as a line to the process's standard error, in one
    /// `write` call where possible.
    static let standardError = ErrorLog { message in
        var line = message
        if !line.hasSuffix("\n") { line += "\n" }
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}

#endif
