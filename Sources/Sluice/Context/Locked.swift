// A value guarded by a mutex, shareable across tasks.

import Synchronization

/// A value that several tasks may read and change, one at a time.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try mutex.withLock { value in try body(&value) }
    }

    /// A copy of the current value.
    var value: Value { withLock { $0 } }
}
