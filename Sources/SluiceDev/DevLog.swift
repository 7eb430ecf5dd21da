// The dev server's own messages on the terminal.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Lines from the dev server, prefixed so they stand out among the app's and the compiler's.
enum DevLog {
    /// Writes `sluice-dev: message` to standard error.
    static func say(_ message: String) {
        write(raw: "sluice-dev: \(message)\n")
    }

    /// Writes text as it is (a build's output) to standard error.
    static func write(raw text: String) {
        var text = text
        text.withUTF8 { bytes in _ = systemWrite(2, bytes.baseAddress, bytes.count) }
    }
}
