// Collects what an application or gateway writes to a request's error log, for assertions.

import Sluice
import Synchronization

/// An error log that remembers its messages.
final class MessageLog: Sendable {
    private let storage = Mutex<[String]>([])

    /// The messages written so far, in order.
    var messages: [String] { storage.withLock { $0 } }

    /// An ``ErrorLog`` that appends to this log.
    var errorLog: ErrorLog {
        ErrorLog { message in self.storage.withLock { $0.append(message) } }
    }
}
