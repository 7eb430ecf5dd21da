// The error log of one request: FCGI_STDERR plus the process's standard error.

#if os(Linux)
import Sluice
import SluiceGateway
import Synchronization

/// Holds an exchange's error-log messages until its worker thread writes them to
/// `FCGI_STDERR` (the streams are used on that thread only); each message also goes to the
/// process's standard error at once. Messages written after the exchange ended go to
/// standard error alone.
final class DiagnosticsBuffer: Sendable {
    private let pending = Mutex<[String]?>([])
    /// Whether `pending` may hold messages: read without the lock after every command the
    /// worker serves, so that the usual exchange, which logs nothing, takes the lock only to close.
    private let mayHoldMessages = Atomic(false)

    /// The log an application writes to (Spec REQ-13).
    var errorLog: ErrorLog {
        ErrorLog { [self] message in
            ErrorLog.standardError.write(message)
            pending.withLock { messages in
                guard messages != nil else { return }
                messages?.append(message)
                mayHoldMessages.store(true, ordering: .releasing)
            }
        }
    }

    /// The messages written since the last call.
    func take() -> [String] {
        guard mayHoldMessages.load(ordering: .acquiring) else { return [] }
        return pending.withLock { messages in
            mayHoldMessages.store(false, ordering: .relaxed)
            defer { if messages != nil { messages = [] } }
            return messages ?? []
        }
    }

    /// Stops collecting: the exchange is over.
    func close() {
        pending.withLock { $0 = nil }
    }
}

#endif
