// What a CGI program takes from, and changes in, its own process before the application runs.

import Sluice
import SluiceCGIWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process-wide state a CGI program depends on.
enum ProcessEnvironment {
    /// The environment as meta-variables, in the order the server set them, copied straight
    /// from `environ` (entries without `=` are skipped).
    static func metaVariables() -> MetaVariables {
        // `environ` is null when the environment was cleared.
        let entries = Optional(environ)
        var count = 0
        while let entries, entries[count] != nil { count += 1 }
        return MetaVariables(count: count) { index in
            UnsafeRawBufferPointer(start: entries![index], count: strlen(entries![index]!))
        }
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
