// The error log of one request: FCGI_STDERR plus the process's standard error.

import Sluice
import Synchronization

/// Holds an exchange's error-log messages until its worker thread writes them to
/// `FCGI_STDERR` (libfcgi is called on that thread only); each message also goes to the
/// process's standard error at once. Messages written after the exchange ended go to
/// standard error alone.
final class DiagnosticsBuffer: Sendable {
    private let pending = Mutex<[String]?>([])

    /// The log an application writes to (Spec REQ-13).
    var errorLog: ErrorLog {
        ErrorLog { [self] message in
            ErrorLog.standardError.write(message)
            pending.withLock { $0?.append(message) }
        }
    }

    /// The messages written since the last call.
    func take() -> [String] {
        pending.withLock { messages in
            defer { if messages != nil { messages = [] } }
            return messages ?? []
        }
    }

    /// Stops collecting: the exchange is over.
    func close() {
        pending.withLock { $0 = nil }
    }
}
