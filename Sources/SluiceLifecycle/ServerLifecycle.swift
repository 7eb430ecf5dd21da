// Start-up → serve → SIGTERM or SIGINT → drain within the grace period → shutdown: the one
// lifecycle the long-running adapters (HTTP, FastCGI) share, on swift-service-lifecycle.

package import Logging
package import ServiceLifecycle
import UnixSignals

/// Runs a server as the only service of a `ServiceGroup` that shuts it down gracefully on
/// SIGTERM and SIGINT (Spec LIFE-5).
///
/// The server's `run()` does the rest, the same way in every adapter: it starts the
/// application (and throws when `startup()` throws, before serving anything: Spec LIFE-1),
/// serves until the graceful shutdown, stops accepting, lets requests in progress finish
/// within its grace period, cancels those still running, runs `shutdown()` (Spec LIFE-2) and
/// returns. A task cancellation ends the grace period at once.
package enum ServerLifecycle {
    /// Runs `server` until it returns, and returns the process exit status: 0 after a
    /// graceful stop, 1 when `run()` threw (start-up or listening failed, which is logged).
    ///
    /// A second SIGTERM or SIGINT during the stop cancels the server: requests still running
    /// are cancelled at once instead of at the end of the grace period, and `shutdown()` runs.
    package static func runUntilTerminated(_ server: some Service, logger: Logger) async -> Int32 {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: server, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        // Trapped before the group runs, as the group's own are: no signal goes uncounted.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        return await withTaskGroup(of: Int32?.self) { tasks in
            tasks.addTask {
                do {
                    try await group.run()
                    return 0
                } catch is CancellationError where Task.isCancelled {
                    // Cancelled by the second signal, once the server stopped: a stop, not a failure.
                    return 0
                } catch {
                    logger.critical("not serving: \(error)")
                    return 1
                }
            }
            tasks.addTask {
                // The first signal is the group's; the second one escalates.
                var received = 0
                for await signal in signals {
                    received += 1
                    if received == 2 {
                        logger.notice("\(signal) again during the graceful stop: cancelling the requests still running")
                        return nil
                    }
                }
                return nil
            }
            var status: Int32 = 0
            while let ended = await tasks.next() {
                if let ended {
                    status = ended
                    tasks.cancelAll()
                } else if !tasks.isEmpty {
                    // The second signal: cancel the group, and wait for it to end.
                    tasks.cancelAll()
                }
            }
            return status
        }
    }
}
