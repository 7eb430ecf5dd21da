// The hand-over between an application's task and its worker, in memory: the test's own
// thread plays the worker.

import Synchronization
import Testing

@testable import SluiceFastCGI

@Suite("FastCGI command queue in memory", .timeLimit(.minutes(1)))
struct CommandQueueTests {
    /// Holds a continuation until someone resumes it.
    final class Gate: Sendable {
        private let waiting = Mutex<CheckedContinuation<Void, Never>?>(nil)

        func wait() async {
            await withCheckedContinuation { continuation in waiting.withLock { $0 = continuation } }
        }

        var isWaiting: Bool { waiting.withLock { $0 != nil } }

        func open() {
            waiting.withLock { $0 }?.resume()
        }
    }

    /// A flag set from a task.
    final class Flag: Sendable {
        private let value = Atomic(false)

        func set() { value.store(true, ordering: .relaxed) }

        var isSet: Bool { value.load(ordering: .relaxed) }
    }

    @Test("[LIFE-3] a task the worker gave up on ends even when every later exchange ends without waiting")
    func jobOfAnAbandonedTask() async throws {
        let queue = CommandQueue()
        let gate = Gate()
        let ended = Flag()
        queue.open(exchange: 1)
        let task = Task(executorPreference: queue) {
            await gate.wait()
            ended.set()
        }
        // The worker runs the task until it waits, then gives the exchange up.
        while !gate.isWaiting {
            _ = queue.next()
        }
        #expect(queue.next() == nil)
        #expect(queue.closeIfIdle())
        // The next exchange is open when the task's wait ends, and ends without waiting.
        queue.open(exchange: 2)
        gate.open()
        queue.post(.end(failed: false), exchange: 2)
        guard case .end = queue.next() else {
            Issue.record("no end")
            return
        }
        for _ in 0..<200 where !ended.isSet {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(ended.isSet)
        if ended.isSet {
            _ = await task.value
        }
    }
}
