// Requests begun and their completion hooks run (Spec LIFE-3), counted for the tests that
// check every hook runs, and runs once, whatever the client did.

import Sluice
import Synchronization

/// The process's count of requests begun, completion hooks run, and hooks that ran again.
enum CompletionCounter {
    private static let begun = Atomic<Int>(0)
    private static let completed = Atomic<Int>(0)
    private static let repeated = Atomic<Int>(0)

    /// Whether one request's hook ran.
    private final class Once: Sendable {
        let ran = Atomic(false)
    }

    /// Counts `request` as begun, and its completion when its hook runs.
    static func watch(_ request: Request) {
        begun.add(1, ordering: .relaxed)
        let once = Once()
        request.context.onCompletion { _ in
            if once.ran.exchange(true, ordering: .relaxed) {
                repeated.add(1, ordering: .relaxed)
            } else {
                completed.add(1, ordering: .relaxed)
            }
        }
    }

    /// `begun: N`, `completed: N` and `repeated: N` lines; the request asking is begun and
    /// not yet completed.
    static var report: String {
        "begun: \(begun.load(ordering: .relaxed))\ncompleted: \(completed.load(ordering: .relaxed))\nrepeated: \(repeated.load(ordering: .relaxed))\n"
    }
}
