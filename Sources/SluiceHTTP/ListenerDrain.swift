// Closing the listening socket at a graceful stop without dropping the connections the kernel
// had already accepted for it.

import NIOCore

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
/// closed. So the listener first accepts the connections its queue held when the stop began —
/// they are served like the others, then asked to finish with them — stops accepting, lets
/// every event loop finish setting up what it accepted, and closes. Connections queued after
/// the stop began are reset. Where the queue cannot be read (not Linux, a unix socket) it
/// does not wait for it.
enum ListenerDrain {
    /// The longest the listener waits for its queue to be accepted: a full queue takes
    /// milliseconds on a quiet machine and seconds on a loaded one, and the wait must not spend
    /// the connections' grace period.
    static var longestDrain: TimeAmount { .seconds(5) }

    /// Drains and closes `listeners` — the server's one, or each socket systemd passed — as one:
    /// the connections every queue held when the stop began are accepted before any closes.
    static func close(_ listeners: [any Channel], loops: any EventLoopGroup, registry: ConnectionRegistry, before deadline: NIODeadline) {
        guard let first = listeners.first else { return }
        #if os(Linux)
        let providers = listeners.compactMap { listener in listener.localAddress?.port != nil ? listener as? any SocketOptionProvider : nil }
        if !providers.isEmpty {
            // Counted on the listener's event loop, where it accepts, in the same turn as its queue
            // is read: a connection accepted in between, counted twice, would set a target never
            // reached.
            first.eventLoop.execute {
                let acceptedBefore = registry.acceptedCount
                queueLength(providers, on: first.eventLoop).whenSuccess { queued in
                    let drain = Drain(
                        target: acceptedBefore + queued, listeners: listeners, providers: providers, loops: loops, registry: registry,
                        deadline: min(deadline, .now() + longestDrain)
                    )
                    drain.acceptQueued()
                }
            }
            return
        }
        #endif
        closeOnceSetUp(listeners, loops: loops)
    }

    #if os(Linux)
    /// How many connections wait in the listeners' accept queues: for a listening socket the
    /// kernel reports the queue's length as `tcpi_unacked`.
    private static func queueLength(_ providers: [any SocketOptionProvider], on eventLoop: any EventLoop) -> EventLoopFuture<Int> {
        let queues = providers.map { $0.getTCPInfo().map { Int($0.tcpi_unacked) } }
        return EventLoopFuture.whenAllComplete(queues, on: eventLoop).map { results in
            results.reduce(0) { sum, result in sum + ((try? result.get()) ?? 0) }
        }
    }

    /// Accepting the connections queued when the stop began.
    private struct Drain {
        /// How many connections the registry will have seen once they are accepted.
        let target: Int
        let listeners: [any Channel]
        let providers: [any SocketOptionProvider]
        let loops: any EventLoopGroup
        let registry: ConnectionRegistry
        let deadline: NIODeadline

        /// Polls until the registry has seen `target` connections accepted, or the queues are
        /// empty (a client that gave up took its connection out of the queue, so the count
        /// may never get there), or the deadline passed; then closes.
        func acceptQueued() {
            let eventLoop = listeners[0].eventLoop
            guard registry.acceptedCount < target, NIODeadline.now() < deadline else {
                return closeOnceSetUp(listeners, loops: loops)
            }
            queueLength(providers, on: eventLoop).whenSuccess { queued in
                guard queued > 0 else { return closeOnceSetUp(listeners, loops: loops) }
                eventLoop.scheduleTask(in: .milliseconds(5)) { acceptQueued() }
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
