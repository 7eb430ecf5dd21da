// How a server drives one Lint-wrapped application over the process's life (Spec APP-2,
// REQ-14, LIFE-1, LIFE-2).

/// Counts what the server did with the application across requests.
final class ServerUsage: Sendable {
    private struct State: Sendable {
        var started = false
        var stopped = false
        var responding = 0
        var served = 0
    }

    private let state = Locked(State())

    /// Records that the server called `respond(to:)`, and returns the rules that call breaks:
    /// a call while another runs on a server that is not concurrent (APP-2), a second request
    /// on a run-once server (REQ-14). Every call must be balanced by ``finishedResponding()``.
    func startsResponding(to request: Request) -> [LintViolation] {
        let earlier = state.withLock { state in
            defer {
                state.responding += 1
                state.served += 1
            }
            return state
        }
        var found: [LintViolation] = []
        if !request.capabilities.isConcurrent, earlier.responding > 0 {
            found.append(.server("APP-2", "the server called respond(to:) while another call ran, but isConcurrent is false"))
        }
        if request.capabilities.isRunOnce, earlier.served > 0 {
            found.append(.server("REQ-14", "the server handed over request \(earlier.served + 1), but isRunOnce is true"))
        }
        if earlier.stopped {
            found.append(.server("LIFE-2", "the server handed over a request after shutdown()"))
        }
        return found
    }

    /// Records that a `respond(to:)` call returned.
    func finishedResponding() {
        state.withLock { $0.responding -= 1 }
    }

    /// Records start-up, and returns the violation if it is not the first (LIFE-1).
    func startsUp() -> LintViolation? {
        let earlier = state.withLock { state in
            defer { state.started = true }
            return state
        }
        if earlier.started { return .server("LIFE-1", "the server ran startup() a second time") }
        if earlier.served > 0 { return .server("LIFE-1", "the server ran startup() after it handed over \(earlier.served) requests") }
        return nil
    }

    /// Records shut-down, and returns the violation if it is early or repeated (LIFE-2).
    func shutsDown() -> LintViolation? {
        let earlier = state.withLock { state in
            defer { state.stopped = true }
            return state
        }
        if earlier.stopped { return .server("LIFE-2", "the server ran shutdown() a second time") }
        if earlier.responding > 0 { return .server("LIFE-2", "the server ran shutdown() while \(earlier.responding) requests ran") }
        return nil
    }
}
