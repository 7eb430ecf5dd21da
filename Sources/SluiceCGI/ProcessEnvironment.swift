// What a CGI program takes from, and changes in, its own process before the application runs.

import Glibc
import Sluice

/// The process-wide state a CGI program depends on.
enum ProcessEnvironment {
    /// The environment as meta-variables, in the order the server set them.
    static func metaVariables() -> MetaVariables {
        MetaVariables(EnvironmentPairs())
    }

    /// Removes `HTTP_PROXY`: it holds the client's `Proxy` header, and HTTP client libraries
    /// read that variable as the proxy to send their requests through (httpoxy, Spec CGI-7).
    static func removeClientProxyVariable() {
        unsetenv("HTTP_PROXY")
    }

    /// Makes a write to a closed pipe fail with `EPIPE` instead of killing the process, so a
    /// client that goes away mid-response ends the request through its completion hooks.
    static func ignoreBrokenPipeSignal() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Moves the response's descriptor off standard output and points standard output at
    /// standard error. The returned descriptor carries the response; a stray `print` lands
    /// in the server's error log instead of corrupting the header block.
    static func detachStandardOutput() -> Int32 {
        let response = dup(1)
        guard response >= 0 else { return 1 }
        _ = dup2(2, 1)
        return response
    }
}

/// The process environment as name–value pairs, read straight from `environ`.
///
/// Each `NAME=value` entry is split at its first `=` in place, so no string of the whole entry
/// is built only to be cut in two: a CGI program does this once per request, at start-up.
/// Entries without `=` are skipped.
struct EnvironmentPairs: Sequence, IteratorProtocol {
    /// The next entry; `environ` itself is null when the environment was cleared.
    private var cursor: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ

    /// The number of entries, so the pairs are stored without growing.
    var underestimatedCount: Int {
        guard let cursor else { return 0 }
        var count = 0
        while cursor[count] != nil { count += 1 }
        return count
    }

    mutating func next() -> (String, String)? {
        while let current = cursor, let entry = current.pointee {
            cursor = current + 1
            guard let equals = strchr(entry, Int32(UInt8(ascii: "="))) else { continue }
            let name = UnsafeRawBufferPointer(start: entry, count: equals - entry)
            return (String(decoding: name, as: UTF8.self), String(cString: equals + 1))
        }
        return nil
    }
}
