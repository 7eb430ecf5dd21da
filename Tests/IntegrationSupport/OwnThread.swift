// OwnThread.swift — blocking work (a socket read with a timeout) off the cooperative pool,
// for test targets.

/// Runs `work` on a thread of its own and returns its result; see `runBlocking`. Swift
/// Testing runs tests in parallel on the cooperative pool (one thread per core), which a
/// socket read that waits for seconds must not hold.
public func onOwnThread<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await runBlocking(work)
}
