// BlockingWork.swift — running blocking system calls without holding up Swift's
// cooperative thread pool.
import Foundation

/// Runs `work` on a thread of its own and resumes when it returns.
///
/// Swift Testing runs tests in parallel on the cooperative pool, which has one thread
/// per core; a curl run or a socket read that blocks for seconds there would stall
/// unrelated tests. A dedicated thread costs little next to starting a process.
func runBlocking<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Swift.Result { try work() })
        }
        thread.name = "IntegrationSupport blocking work"
        thread.start()
    }
}
