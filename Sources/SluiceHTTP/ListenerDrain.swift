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
    /// The longest the listener waits for its queue to be accepted: taking a full queue takes
    /// milliseconds, and the wait must not spend the connections' grace period.
    static var longestDrain: TimeAmount { .seconds(1) }

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
                // For a listening socket the kernel reports the accept queue's length as `tcpi_unacked`.
                let queues = providers.map { $0.getTCPInfo().map { Int($0.tcpi_unacked) } }
                EventLoopFuture.whenAllComplete(queues, on: first.eventLoop).whenSuccess { results in
                    let queued = results.reduce(0) { sum, result in sum + ((try? result.get()) ?? 0) }
                    let drainEnd = min(deadline, .now() + longestDrain)
                    accept(upTo: acceptedBefore + queued, listeners, loops: loops, registry: registry, before: drainEnd)
                }
            }
            return
        }
        #endif
        closeOnceSetUp(listeners, loops: loops)
    }

    /// Waits until the registry has seen `target` connections accepted, then closes.
    private static func accept(
        upTo target: Int, _ listeners: [any Channel], loops: any EventLoopGroup, registry: ConnectionRegistry, before deadline: NIODeadline
    ) {
        guard registry.acceptedCount < target, NIODeadline.now() < deadline else {
            return closeOnceSetUp(listeners, loops: loops)
        }
        listeners[0].eventLoop.scheduleTask(in: .milliseconds(5)) {
            accept(upTo: target, listeners, loops: loops, registry: registry, before: deadline)
        }
    }

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
