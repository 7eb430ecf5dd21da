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
    static func close(_ listener: any Channel, loops: any EventLoopGroup, registry: ConnectionRegistry, before deadline: NIODeadline) {
        #if os(Linux)
        if let provider = listener as? any SocketOptionProvider, listener.localAddress?.port != nil {
            // For a listening socket the kernel reports the accept queue's length as `tcpi_unacked`.
            provider.getTCPInfo().whenComplete { result in
                guard case let .success(info) = result else { return closeOnceSetUp(listener, loops: loops) }
                accept(upTo: registry.acceptedCount + Int(info.tcpi_unacked), listener, loops: loops, registry: registry, before: deadline)
            }
            return
        }
        #endif
        closeOnceSetUp(listener, loops: loops)
    }

    /// Waits until the registry has seen `target` connections accepted, then closes.
    private static func accept(
        upTo target: Int, _ listener: any Channel, loops: any EventLoopGroup, registry: ConnectionRegistry, before deadline: NIODeadline
    ) {
        guard registry.acceptedCount < target, NIODeadline.now() < deadline else {
            return closeOnceSetUp(listener, loops: loops)
        }
        listener.eventLoop.scheduleTask(in: .milliseconds(5)) {
            accept(upTo: target, listener, loops: loops, registry: registry, before: deadline)
        }
    }

    /// Stops accepting, waits for the setup of every connection accepted so far — queued on
    /// its event loop before a task submitted now — and closes.
    private static func closeOnceSetUp(_ listener: any Channel, loops: any EventLoopGroup) {
        listener.setOption(.autoRead, value: false).whenComplete { _ in
            let barriers = loops.makeIterator().map { $0.submit {} }
            EventLoopFuture.andAllComplete(barriers, on: listener.eventLoop).whenComplete { _ in
                listener.close(promise: nil)
            }
        }
    }
}
