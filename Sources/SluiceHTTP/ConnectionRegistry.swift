// The open connections of a server, for a graceful shutdown.

import NIOCore
import Synchronization

/// Tracks open connections so a shutdown can ask each to finish and then wait for them.
final class ConnectionRegistry: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// Tracks `channel` until it closes.
    func add(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        channels.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = channels.withLock { $0.removeValue(forKey: key) }
        }
    }

    /// Asks every connection to close once its in-flight response is done (NIO's pipelining
    /// handler closes idle ones at once), waits for them up to `gracePeriod`, then closes
    /// those still open.
    func quiesce(within gracePeriod: Duration) async {
        for channel in channels.withLock({ Array($0.values) }) {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        let deadline = ContinuousClock.now + gracePeriod
        while !channels.withLock(\.isEmpty), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for channel in channels.withLock({ Array($0.values) }) {
            channel.close(promise: nil)
        }
    }
}
