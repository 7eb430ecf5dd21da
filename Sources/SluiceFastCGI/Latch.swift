// A one-time signal from a thread to a task.

import Synchronization

/// Opened once, from any thread; ``wait()`` returns once it is open.
final class Latch: Sendable {
    private struct State {
        var isOpen = false
        var waiter: UnsafeContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Opens the latch, resuming the task waiting on it.
    func open() {
        let waiter = state.withLock { state in
            state.isOpen = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Suspends until the latch is open. One waiter at a time.
    func wait() async {
        await withUnsafeContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.isOpen { return true }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
