// How the server runs a WebSocket session Lint let through, and how the session uses its
// WebSocket (Spec WS-1 to WS-3, WS-6, WS-9, WS-11).

/// Watches the server run the session of one acceptance, and the session talk.
final class LintedWebSocket: Sendable {
    /// What the checks need of the request: not the request itself, whose context keeps this
    /// object (as a completion hook) and would be kept by it in turn.
    private let makesHandshake: Bool
    private let supportsWebSocket: Bool
    private weak let context: RequestContext?
    private let reporter: LintReporter
    private let sessionRuns = Locked(0)

    init(request: Request, reporter: LintReporter) {
        makesHandshake = request.webSocketHandshake != nil
        supportsWebSocket = request.capabilities.supportsWebSocket
        context = request.context
        self.reporter = reporter
    }

    /// The acceptance with its session wrapped: the server's run of it is checked, and the
    /// session gets a WebSocket whose use is checked.
    func linted(_ acceptance: WebSocketAcceptance) -> WebSocketAcceptance {
        WebSocketAcceptance(subprotocol: acceptance.subprotocol) { socket in
            try self.sessionStarts()
            let checked = WebSocket(transport: CheckedTransport(socket: socket, reporter: self.reporter), subprotocol: socket.subprotocol)
            do {
                try await acceptance.session(checked)
            } catch {
                throw self.reporter.violation(in: error)
            }
        }
    }

    /// Whether the server ran the session.
    var sessionRan: Bool { sessionRuns.value > 0 }

    /// Checks that the server may run the session now (WS-1, WS-2, WS-3, WS-14).
    private func sessionStarts() throws(LintViolation) {
        let earlier = sessionRuns.withLock { runs in
            defer { runs += 1 }
            return runs
        }
        if earlier > 0 {
            throw reporter.fail(.server("WS-14", "the server ran a WebSocket session a second time"))
        }
        if !makesHandshake {
            throw reporter.fail(.server("WS-2", "the server ran a WebSocket session for a request that makes no handshake"))
        }
        if !supportsWebSocket {
            throw reporter.fail(.server("WS-3", "the server ran a WebSocket session, but supportsWebSocket is false"))
        }
        if context == nil || RequestContext.current !== context {
            throw reporter.fail(.server("WS-1", "RequestContext.current is not this request's context while the session runs"))
        }
    }

    /// The completion of a request whose session ran names 101 (WS-11).
    func requestCompleted(_ completion: Completion) {
        guard sessionRan, let status = completion.status, status.code != 101 else { return }
        reporter.log(.server("WS-11", "the completion reports status \(status.code) after a WebSocket session; it must be 101"))
    }
}

/// The session's WebSocket, over the server's: sends after the session's own close, and
/// closes that cannot go on the wire, are reported (WS-9).
private final class CheckedTransport: WebSocketTransport {
    let socket: WebSocket
    let reporter: LintReporter
    private let closedBySession = Locked(false)

    init(socket: WebSocket, reporter: LintReporter) {
        self.socket = socket
        self.reporter = reporter
    }

    func receive() async throws -> WebSocketMessage? {
        try await socket.transport.receive()
    }

    func send(_ message: WebSocketMessage) async throws {
        if closedBySession.value {
            throw reporter.fail(.application("WS-9", "the session sent a message after it closed the WebSocket"))
        }
        try await socket.send(message)
    }

    func close(_ close: WebSocketClose) async -> (any Error)? {
        if !WebSocketClose.isValidOnTheWire(close.code) {
            reporter.log(.application("WS-9", "close code \(close.code) may not be sent; it goes out as 1011"))
        }
        if close.reason.utf8.count > WebSocketClose.maximumReasonBytes {
            reporter.log(.application("WS-9", "a close reason of \(close.reason.utf8.count) bytes is cut to 123"))
        }
        closedBySession.withLock { $0 = true }
        return await socket.transport.close(close)
    }

    var closeReceived: WebSocketClose? { socket.closeReceived }
}
