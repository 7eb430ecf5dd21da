// Collects what an application or gateway writes to a request's error log, for assertions.

package import Sluice
import Synchronization

/// An error log that remembers its messages.
package final class MessageLog: Sendable {
    private let storage = Mutex<[String]>([])

    /// An empty log.
    package init() {}

    /// The messages written so far, in order.
    package var messages: [String] { storage.withLock { $0 } }

    /// An ``ErrorLog`` that appends to this log.
    package var errorLog: ErrorLog {
        ErrorLog { message in self.storage.withLock { $0.append(message) } }
    }
}
