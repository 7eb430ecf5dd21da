// Requests whose completion hooks saw the client go away (Spec LIFE-4), counted for the tests.

import Sluice
import Synchronization

/// The process's count of requests that completed with ClientDisconnected.
enum DisconnectionCounter {
    private static let disconnections = Atomic<Int>(0)

    /// How many so far.
    static var count: Int { disconnections.load(ordering: .relaxed) }

    /// Counts `request` if its completion sees the client gone, and logs it.
    static func watch(_ request: Request) {
        request.context.onCompletion { completion in
            if completion.clientDisconnected {
                disconnections.add(1, ordering: .relaxed)
                request.errorLog.write("battery: completion saw ClientDisconnected for \(request.target)")
            }
        }
    }
}
