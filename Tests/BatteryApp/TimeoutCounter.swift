// Requests whose completion hooks saw the request timeout (Spec LIFE-6), counted for the tests.

import Sluice
import SluiceGateway
import Synchronization

/// The process's count of requests that completed with RequestTimedOut.
enum TimeoutCounter {
    private static let timeouts = Atomic<Int>(0)

    /// How many so far.
    static var count: Int { timeouts.load(ordering: .relaxed) }

    /// Counts `request` if its completion says it timed out.
    static func watch(_ request: Request) {
        request.context.onCompletion { completion in
            if completion.error is RequestTimedOut || completion.applicationError is RequestTimedOut {
                timeouts.add(1, ordering: .relaxed)
            }
        }
    }
}
