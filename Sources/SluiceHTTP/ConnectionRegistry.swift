// The open connections of a server, for a graceful stop.

import NIOCore
import Sluice
import Synchronization

/// Tracks open connections so a graceful stop can ask each to finish and then wait for them
/// (Spec LIFE-5).
final class ConnectionRegistry: Sendable {
    private struct Connections {
        var open: [ObjectIdentifier: any Channel] = [:]
        /// When the graceful stop must end, once it began.
        var stopDeadline: NIODeadline?
        /// Whether the open connections were asked to finish.
        var isQuiescing = false
    }

    private let connections = Mutex(Connections())
    /// How many connections a graceful stop closed idle: no request on its way (Spec LIFE-5).
    private let closedIdle = Atomic<Int>(0)
    /// Told of each connection opened and closed.
    private let observer: (any ServerObserver)?

    init(observer: (any ServerObserver)? = nil) {
        self.observer = observer
    }

    /// Tracks `channel`, just accepted, until it closes: a stop waits for it even before its
    /// pipeline is set up.
    func accepted(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        connections.withLock { $0.open[key] = channel }
        observer?.connectionOpened()
        channel.closeFuture.whenComplete { [self] _ in
            _ = connections.withLock { $0.open.removeValue(forKey: key) }
            observer?.connectionClosed()
        }
    }

    /// A graceful stop closed a connection with no request on its way. A client that sent one
    /// on it meanwhile retries it, as for any kept connection the server closes (RFC 9112 §9.3.1).
    func closedIdleDuringStop() {
        closedIdle.add(1, ordering: .relaxed)
    }

    /// `channel`'s pipeline is set up. One set up after the open connections were asked to
    /// finish is asked at once.
    func configured(_ channel: any Channel) {
        if connections.withLock(\.isQuiescing) {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    /// Marks the start of a graceful stop that may take `gracePeriod`, and returns when it
    /// must end; a second call returns the first one's deadline.
    func beginStop(within gracePeriod: Duration) -> NIODeadline {
        connections.withLock { connections in
            let deadline = connections.stopDeadline ?? .now() + TimeAmount(gracePeriod)
            connections.stopDeadline = deadline
            return deadline
        }
    }

    /// Asks every connection to finish — each answers what it has received and closes (its
    /// ``HTTPConnectionHandler`` decides how) — waits for them until the stop's deadline, then
    /// closes those still open. Returns how many it closed idle, and how many at the deadline.
    func quiesce(within gracePeriod: Duration) async -> (closedIdle: Int, cutOff: Int) {
        let deadline = beginStop(within: gracePeriod)
        let open = connections.withLock { connections in
            connections.isQuiescing = true
            return Array(connections.open.values)
        }
        for channel in open {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        // A cancellation (a second signal) ends the grace period at once.
        while !connections.withLock(\.open.isEmpty), NIODeadline.now() < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let cutOff = connections.withLock { Array($0.open.values) }
        for channel in cutOff {
            channel.close(promise: nil)
        }
        return (closedIdle.load(ordering: .relaxed), cutOff.count)
    }
}

extension ConnectionRegistry {
    /// Registers each connection the listener accepts, in the listener's pipeline.
    final class Acceptor: ChannelInboundHandler, Sendable {
        typealias InboundIn = any Channel
        typealias InboundOut = any Channel

        private let registry: ConnectionRegistry

        init(registry: ConnectionRegistry) {
            self.registry = registry
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            registry.accepted(unwrapInboundIn(data))
            context.fireChannelRead(data)
        }
    }
}
