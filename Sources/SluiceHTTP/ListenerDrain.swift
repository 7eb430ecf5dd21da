// Closing the listening socket at a graceful stop without dropping the connections the kernel
// had already accepted for it.

import NIOCore
import SluiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Stops accepting connections (Spec LIFE-5) without losing one a client made before the stop.
/// Closing a listening socket resets every connection still in its accept queue, though as far
/// as each client knows it is connected and may have sent its request; and NIO closes an
/// accepted connection whose setup on its event loop was still pending when its listener
/// closed. So the listener first stops the kernel taking new connections for it
/// (``HandshakeFilter``), lets the handshakes under way complete, accepts what its queue holds
/// — those connections are served like the others, then asked to finish — stops accepting,
/// lets every event loop finish setting up what it accepted, and closes. Where the queue
/// cannot be read (not Linux, a unix socket) it does not wait for it.
enum ListenerDrain {
    /// The longest the listener waits for its queue to be accepted: a full queue takes
    /// milliseconds on a quiet machine and seconds on a loaded one, and the wait must not spend
    /// the connections' grace period.
    static var longestDrain: TimeAmount { .seconds(5) }

    /// Drains and closes `listeners` — the server's one, or each socket systemd passed — as one.
    ///
    /// `isHandedOn` says whether the sockets outlive the server: systemd's, or one kept for the
    /// program re-executed by a reload. Closing the server's descriptor leaves such a socket
    /// listening with its queue, whose connections the next server accepts; so it is neither
    /// filtered nor drained. A hand-over asked for during the drain removes the filter.
    static func close(
        _ listeners: [any Channel], loops: any EventLoopGroup, before deadline: NIODeadline, isHandedOn: @escaping @Sendable () -> Bool
    ) {
        guard let first = listeners.first else { return }
        #if os(Linux)
        let providers = listeners.compactMap { listener in listener.localAddress?.port != nil ? listener as? any SocketOptionProvider : nil }
        if !providers.isEmpty, !isHandedOn() {
            let refusing = providers.map { provider in
                provider.unsafeSetSocketOption(
                    level: SocketOptionLevel(HandshakeFilter.optionLevel), name: SocketOptionName(HandshakeFilter.attachOption),
                    value: HandshakeFilter.refusingNewConnections
                )
            }
            // Should the filter not attach, the queue may fill again as fast as it is accepted,
            // and the drain ends at its deadline.
            EventLoopFuture.andAllComplete(refusing, on: first.eventLoop).whenComplete { _ in
                let drain = Drain(
                    listeners: listeners, providers: providers, loops: loops, deadline: min(deadline, .now() + longestDrain), isHandedOn: isHandedOn
                )
                first.eventLoop.scheduleTask(in: TimeAmount(HandshakeFilter.handshakeAllowance)) { drain.acceptQueued() }
            }
            return
        }
        #endif
        closeOnceSetUp(listeners, loops: loops)
    }

    #if os(Linux)
    /// Accepting the connections queued when the listeners stopped taking new ones.
    private struct Drain {
        let listeners: [any Channel]
        let providers: [any SocketOptionProvider]
        let loops: any EventLoopGroup
        let deadline: NIODeadline
        let isHandedOn: @Sendable () -> Bool

        /// Polls until the queues are empty or the deadline passed; then closes.
        func acceptQueued() {
            let eventLoop = listeners[0].eventLoop
            guard NIODeadline.now() < deadline else { return close() }
            queueLength(on: eventLoop).whenSuccess { queued in
                guard queued > 0 else { return close() }
                eventLoop.scheduleTask(in: .milliseconds(5)) { acceptQueued() }
            }
        }

        /// Closes the listeners; one handed on meanwhile takes new connections again first.
        private func close() {
            guard isHandedOn() else { return closeOnceSetUp(listeners, loops: loops) }
            let detached = providers.map { provider in
                provider.unsafeSetSocketOption(
                    level: SocketOptionLevel(HandshakeFilter.optionLevel), name: SocketOptionName(HandshakeFilter.detachOption), value: Int32(0)
                )
            }
            EventLoopFuture.andAllComplete(detached, on: listeners[0].eventLoop).whenComplete { _ in
                closeOnceSetUp(listeners, loops: loops)
            }
        }

        /// How many connections wait in the listeners' accept queues: for a listening socket
        /// the kernel reports the queue's length as `tcpi_unacked`.
        private func queueLength(on eventLoop: any EventLoop) -> EventLoopFuture<Int> {
            let queues = providers.map { $0.getTCPInfo().map { Int($0.tcpi_unacked) } }
            return EventLoopFuture.whenAllComplete(queues, on: eventLoop).map { results in
                results.reduce(0) { sum, result in sum + ((try? result.get()) ?? 0) }
            }
        }
    }
    #endif

    /// Stops accepting, waits for the setup of every connection accepted so far — queued on
    /// its event loop before a task submitted now — and closes.
    private static func closeOnceSetUp(_ listeners: [any Channel], loops: any EventLoopGroup) {
        let stopped = listeners.map { $0.setOption(.autoRead, value: false) }
        let eventLoop = listeners[0].eventLoop
        EventLoopFuture.andAllComplete(stopped, on: eventLoop).whenComplete { _ in
            let barriers = loops.makeIterator().map { $0.submit {} }
            EventLoopFuture.andAllComplete(barriers, on: eventLoop).whenComplete { _ in
                for listener in listeners { listener.close(promise: nil) }
            }
        }
    }
}
