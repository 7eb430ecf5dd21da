// What the test server noted about one exchange, for the test to read afterwards.

import Sluice
import Synchronization

/// The facts of one exchange that are not bytes on the wire: flush points, whether
/// `100 Continue` went out, whether the response body began, what Lint found and what the
/// application logged.
final class ExchangeRecord: Sendable {
    struct Facts: Sendable {
        var informational: [InformationalResponse] = []
        var continueSent = false
        var headWritten = false
        /// Whether the application wrote or flushed response body bytes.
        var responseBodyStarted = false
        var flushOffsets: [Int] = []
        var trailers: Headers?
        var bodyEnded = false
        var disconnected = false
        var lintViolations: [LintViolation] = []
        var loggedErrors: [String] = []
    }

    private let facts = Mutex(Facts())

    /// A copy of everything noted so far.
    var snapshot: Facts { facts.withLock { $0 } }

    /// Changes the facts under the lock.
    func update<Value>(_ change: (inout Facts) -> Value) -> Value {
        facts.withLock { change(&$0) }
    }

    /// Keeps what Lint reported.
    @Sendable func note(_ violation: LintViolation) {
        update { $0.lintViolations.append(violation) }
    }

    /// The error log the test server hands the application: it keeps every line.
    var errorLog: ErrorLog {
        ErrorLog { [self] line in update { $0.loggedErrors.append(line) } }
    }
}
