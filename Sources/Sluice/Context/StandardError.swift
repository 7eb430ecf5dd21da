// Writing to file descriptor 2. The platform's C library is the only import the core has:
// it ships with every Swift toolchain, so copying this folder still vendors Sluice whole.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes text to the process's standard error.
enum StandardError {
    /// Writes `message` and a newline to standard error in one `write` call where possible.
    static func writeLine(_ message: String) {
        var line = message
        if !line.hasSuffix("\n") { line += "\n" }
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
