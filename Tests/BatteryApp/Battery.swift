// The application every battery program serves, whatever the adapter: one set of paths, so
// the CGI, FastCGI and HTTP tests ask the same questions of the same app.

public import Sluice

/// The battery: an application that reports what it received and misbehaves on request.
///
/// Paths (below wherever it is mounted):
/// - `/stream?ms=M`: "first", flush, a pause of M ms (default 1000), "second"
/// - `/slow?chunks=N&ms=M`: N lines "chunk I" M ms apart, each flushed (default 5 and 200)
/// - `/download?bytes=N`: N bytes repeating a–z, in 64 KiB writes, with Content-Length
/// - `/body-length`: reads the body and answers `bodyLength: N` (no hashing: fast for big bodies)
/// - `/sleep?ms=N`: answers "slept" after N ms
/// - `/stuck?ms=N`: answers "unstuck" after N ms (default 60000) that cancellation cannot cut short
/// - `/stuck-midway?ms=N`: sends its head and a line, then waits like `/stuck`
/// - `/timeouts`: how many requests so far completed with RequestTimedOut
/// - `/pid`: the process id
/// - `/memory`: the process's peak and current resident size (`VmHWM: N`, `VmRSS: N`, KiB); reads no body
/// - `/local-redirect`: a CGI local redirect (RFC 3875 section 6.2.2) to `/echo?redirected=1`
/// - `/client-redirect`: 302 to `http://example.invalid/elsewhere`
/// - `/fail`: throws before responding
/// - `/fail-midway`: sends part of a body, then throws
/// - `/log`: writes "battery log line" to the error log; reads no body
/// - `/disconnections`: how many requests so far completed with ClientDisconnected
/// - `/completions`: how many requests began, how many completion hooks ran, and how many ran twice
/// - `/websocket`: accepts a WebSocket and echoes it, whatever the server can do: where it
///   cannot, the server refuses with 501 (Spec WS-4)
/// - `/websocket-aware`: accepts only where `supportsWebSocket` is true; elsewhere answers
///   `supportsWebSocket: false` itself (Spec WS-1)
/// - anything else: the echo report, one `key: value` line per fact, the body read and
///   hashed; the header `X-Seen-Method` names the method (a HEAD response has no body)
public struct Battery: Application {
    private let failsStartup: Bool
    private let shutdownMarker: String?

    /// Creates the battery; `startup()` throws when `failsStartup`, and `shutdown()` creates
    /// the file `shutdownMarker` when one is given, so tests can see that it ran.
    public init(failsStartup: Bool = false, shutdownMarker: String? = nil) {
        self.failsStartup = failsStartup
        self.shutdownMarker = shutdownMarker
    }

    /// Throws ``BatteryFailure`` when asked to fail at start-up.
    public func startup() async throws {
        if failsStartup { throw BatteryFailure() }
    }

    /// Creates the shut-down marker file, if there is one.
    public func shutdown() async {
        if let shutdownMarker { createEmptyFile(at: shutdownMarker) }
    }

    /// Answers by the table of paths above.
    public func respond(to request: Request) async throws -> Response {
        DisconnectionCounter.watch(request)
        TimeoutCounter.watch(request)
        CompletionCounter.watch(request)
        switch request.pathInfo {
        case "/stream": return Routes.stream(pause: request.number("ms", default: 1000))
        case "/slow": return Routes.slow(chunks: request.number("chunks", default: 5), pause: request.number("ms", default: 200))
        case "/download": return Routes.download(bytes: request.number("bytes", default: 0))
        case "/body-length": return .text("bodyLength: \(try await Routes.bodyLength(of: request))\n")
        case "/sleep":
            try await Task.sleep(for: .milliseconds(request.number("ms", default: 0)))
            return .text("slept\n")
        case "/stuck":
            await Routes.ignoringCancellation(pause: request.number("ms", default: 60000))
            return .text("unstuck\n")
        case "/stuck-midway": return Routes.stuckMidway(pause: request.number("ms", default: 60000))
        case "/timeouts": return .text("\(TimeoutCounter.count)\n")
        case "/pid": return .text("\(processID())\n")
        case "/memory": return .text(memoryReport())
        case "/local-redirect": return .localRedirect(to: "\(request.scriptName)/echo?redirected=1")
        case "/client-redirect": return Response(status: .found, headers: ["Location": "http://example.invalid/elsewhere"])
        case "/fail": throw BatteryFailure()
        case "/fail-midway": return Routes.failMidway()
        case "/log":
            request.errorLog.write("battery log line")
            return .text("logged\n")
        case "/disconnections": return .text("\(DisconnectionCounter.count)\n")
        case "/completions": return .text(CompletionCounter.report)
        case "/websocket": return Routes.webSocketEcho()
        case "/websocket-aware":
            guard request.capabilities.supportsWebSocket else { return .text("supportsWebSocket: false\n") }
            return Routes.webSocketEcho()
        default:
            var response = Response.text(try await report(request))
            response.headers.append(name: "X-Seen-Method", value: request.method.rawValue)
            return response
        }
    }
}

/// What the battery throws when a path asks it to fail.
public struct BatteryFailure: Error {
    /// Creates the error.
    public init() {}
}
