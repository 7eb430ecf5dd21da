// The listening socket and the parked connections of one process, and the workers that wait
// on them: one epoll set, which is Linux's and only here.

#if os(Linux)
import CEventPoll
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Sluice
import SluiceGateway
import SluiceLifecycle
import Synchronization

/// Where idle workers wait for work: a new connection on the listening socket, or bytes on a
/// parked connection (Spec FCGI-3).
///
/// Every free worker waits in the same epoll set and the kernel wakes one per event, which
/// then serves the connection itself, on its own thread: no hand-over between threads. A
/// parked connection is registered once, edge-triggered, for as long as it lives; a table
/// says who holds each one, so that an event for a connection a worker already holds only
/// marks it, and that worker looks again before it parks it (``park(_:)``).
///
/// A ticker closes connections parked longer than the read timeout, and a stop closes the
/// idle ones at once and the new ones after a short window (Spec LIFE-5).
final class Poller: @unchecked Sendable {
    // Unchecked: the descriptors are used only through the kernel's thread-safe calls, and
    // the table is behind its lock.

    /// What holds a registered connection.
    private enum Holding: Equatable {
        /// The poller: the connection waits for bytes.
        case parked
        /// A worker.
        case held
        /// A worker, and bytes (or the end) arrived since it took the connection.
        case heldWithEvent
    }

    private struct Entry {
        let connection: Connection
        let generation: UInt32
        var holding: Holding
    }

    private struct Table {
        /// The registered connections, by descriptor.
        var entries: [Entry?] = []
        /// Numbers registrations, so an event for a closed connection never reaches one that
        /// reuses its descriptor.
        var nextGeneration: UInt32 = 1
        var parkedCount = 0
        /// When a stop closes the new connections still parked, once it began.
        var stopDeadline: ContinuousClock.Instant?
        /// During a stop, while the listener's queue is being accepted: from when an empty
        /// queue ends that (the handshakes under way when new ones were refused are done).
        var drainsListenerUntilEmptyFrom: ContinuousClock.Instant?
        var stopSignalled = false
    }

    /// Tags of the events that are not a connection's, whose tags are descriptor and generation.
    private enum Tag {
        static let listener: UInt64 = 1 << 63 | 1
        static let ticker: UInt64 = 1 << 63 | 2
        static let stop: UInt64 = 1 << 63 | 3
    }

    private let epoll: Int32
    private let ticker: Int32
    private let stopSignal: Int32
    private let listener: ListeningSocket
    private let limits: FastCGIConfiguration.Limits
    private let table = Mutex(Table())

    /// Watches `listener`, accepting connections with `limits`.
    init(listener: ListeningSocket, limits: FastCGIConfiguration.Limits) {
        self.listener = listener
        self.limits = limits
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        ticker = timerfd_create(CLOCK_MONOTONIC, Int32(TFD_CLOEXEC | TFD_NONBLOCK))
        stopSignal = eventfd(0, Int32(EFD_CLOEXEC))
        // The listening socket is level-triggered and exclusive: one process of a prefork
        // group wakes per connection, and another worker whenever one is still waiting. It
        // does not block: the worker that wakes for a connection may find it taken.
        listener.makeNonBlocking()
        let registered =
            epoll >= 0 && ticker >= 0 && stopSignal >= 0
            && register(listener.descriptor, Tag.listener, EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
            && register(ticker, Tag.ticker, EPOLLIN.rawValue)
            && register(stopSignal, Tag.stop, EPOLLIN.rawValue)
        precondition(registered, "cannot set up the epoll set: \(String(cString: strerror(errno)))")
        tick(every: Self.tickInterval(closingAfter: limits.readTimeout))
    }

    deinit {
        for descriptor in [epoll, ticker, stopSignal] {
            Glibc.close(descriptor)
        }
    }

    /// Waits for the next connection to serve, which the caller then holds: a new one, or a
    /// parked one whose bytes arrived. `nil` once the poller stopped and no connection is
    /// parked any more: the worker's work is done.
    func next() -> Connection? {
        var event = epoll_event()
        while true {
            guard epoll_wait(epoll, &event, 1, -1) == 1 else { continue }
            switch event.data.u64 {
            case Tag.stop:
                // Left readable: every worker that waits sees it.
                return nil
            case Tag.listener:
                if let descriptor = listener.acceptWaiting(timeout: limits.readTimeout) {
                    return Connection(descriptor: descriptor, limits: limits)
                }
            case Tag.ticker:
                closeExpired()
                if let descriptor = acceptWhileDraining() {
                    return Connection(descriptor: descriptor, limits: limits)
                }
            case let tag:
                if let connection = take(tag) { return connection }
            }
        }
    }

    /// What became of a connection handed to ``park(_:)``.
    enum Parking {
        /// It waits for its next bytes; the caller must not touch it any more.
        case parked
        /// Bytes (or its end) arrived while the caller held it: read them, then park it again.
        case bytesArrived
        /// The poller is stopping: the caller closes the connection instead.
        case stopping
    }

    /// Parks a connection the caller holds and has read everything from, until its next
    /// bytes arrive.
    func park(_ connection: Connection) -> Parking {
        connection.parkedAt = .now
        let descriptor = Int(connection.descriptor)
        guard connection.pollerGeneration == nil else {
            return table.withLock { table in
                guard table.stopDeadline == nil else { return .stopping }
                guard table.entries[descriptor]!.holding == .held else {
                    table.entries[descriptor]!.holding = .held
                    return .bytesArrived
                }
                table.entries[descriptor]!.holding = .parked
                table.parkedCount += 1
                return .parked
            }
        }
        // In the table before the epoll set: an event then always finds it.
        let registration: UInt32? = table.withLock { table in
            // A new connection parked during a stop still gets the window for its first
            // request (Spec LIFE-5): its client may have sent it already. Closed unanswered,
            // it is lost — with a shared socket (a reload), a worker that stays would have
            // served it.
            if let deadline = table.stopDeadline, ContinuousClock.now >= deadline { return nil }
            let generation = table.nextGeneration
            table.nextGeneration = generation == UInt32(Int32.max) ? 1 : generation + 1
            if descriptor >= table.entries.count {
                table.entries += [Entry?](repeating: nil, count: descriptor + 1 - table.entries.count)
            }
            table.entries[descriptor] = Entry(connection: connection, generation: generation, holding: .parked)
            table.parkedCount += 1
            return generation
        }
        guard let generation = registration else { return .stopping }
        connection.pollerGeneration = generation
        let tag = UInt64(generation) << 32 | UInt64(connection.descriptor)
        guard register(connection.descriptor, tag, EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue) else {
            // The kernel would not watch it (out of memory, or of epoll watches): no event
            // can have taken it, so it is still parked, and closed.
            let removed = table.withLock { table in
                removeParked(from: &table) { $0 === connection }
            }
            for connection in removed {
                connection.close()
            }
            ErrorLog.standardError.write("sluice: cannot watch a kept connection (\(String(cString: strerror(errno)))): closed it")
            return .parked
        }
        return .parked
    }

    /// Closes a connection the caller holds.
    func close(_ connection: Connection) {
        if connection.pollerGeneration != nil {
            table.withLock { table in
                table.entries[Int(connection.descriptor)] = nil
            }
        }
        connection.close()
    }

    /// Stops accepting, closes the idle parked connections, and closes the new ones that
    /// send no request within `window`; ``next()`` returns `nil` to every worker once none is
    /// parked (Spec LIFE-5). A listening socket this process owns first stops new clients
    /// connecting, and workers accept what its queue holds before it is shut down. With
    /// `keepingListener` the listening socket itself stays as it is, for the program a reload
    /// re-executes.
    func stop(window: Duration, keepingListener: Bool = false) {
        let drains = !keepingListener && listener.stopNewConnections()
        if !drains {
            stopListening(shuttingDown: !keepingListener)
        }
        let idle = table.withLock { table in
            table.stopDeadline = .now + window
            table.drainsListenerUntilEmptyFrom = drains ? .now + HandshakeFilter.handshakeAllowance : nil
            return removeParked(from: &table) { $0.requestsServed > 0 }
        }
        for connection in idle {
            connection.close()
        }
        tick(every: .milliseconds(50))
    }

    /// Takes the listener out of the epoll set; `shuttingDown` also shuts it down.
    private func stopListening(shuttingDown: Bool) {
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, listener.descriptor, nil)
        if shuttingDown {
            listener.stopAccepting()
        }
    }

    /// While a stop drains the listener's queue: the next connection queued, for the caller to
    /// serve; once the queue is empty, ends the drain and stops listening.
    private func acceptWhileDraining() -> Int32? {
        guard let from = table.withLock(\.drainsListenerUntilEmptyFrom), ContinuousClock.now >= from else { return nil }
        switch listener.accept(timeout: limits.readTimeout) {
        case let .connection(descriptor):
            return descriptor
        case .refused:
            return nil
        case .none:
            let isFirst = table.withLock { table in
                guard table.drainsListenerUntilEmptyFrom != nil else { return false }
                table.drainsListenerUntilEmptyFrom = nil
                signalStopIfDone(&table)
                return true
            }
            if isFirst {
                stopListening(shuttingDown: true)
            }
            return nil
        }
    }

    /// The connection an event is for, now held by the caller; `nil` when a worker already
    /// holds it (it is marked instead) or it is gone.
    private func take(_ tag: UInt64) -> Connection? {
        let descriptor = Int(tag & 0xFFFF_FFFF)
        let generation = UInt32(tag >> 32)
        return table.withLock { table in
            guard descriptor < table.entries.count, let entry = table.entries[descriptor], entry.generation == generation else {
                return nil
            }
            switch entry.holding {
            case .parked:
                table.entries[descriptor]!.holding = .held
                table.parkedCount -= 1
                signalStopIfDone(&table)
                return entry.connection
            case .held:
                table.entries[descriptor]!.holding = .heldWithEvent
                return nil
            case .heldWithEvent:
                return nil
            }
        }
    }

    /// Closes the parked connections past their time.
    private func closeExpired() {
        var expirations: UInt64 = 0
        _ = read(ticker, &expirations, MemoryLayout<UInt64>.size)
        let now = ContinuousClock.now
        let expired = table.withLock { table in
            let stopping = table.stopDeadline.map { now >= $0 } ?? false
            return removeParked(from: &table) { stopping || now - $0.parkedAt >= limits.readTimeout }
        }
        for connection in expired {
            connection.close()
        }
    }

    /// Removes the parked connections `isRemoved` picks from the table, and returns them.
    private func removeParked(from table: inout Table, where isRemoved: (Connection) -> Bool) -> [Connection] {
        var removed: [Connection] = []
        for index in table.entries.indices {
            guard let entry = table.entries[index], entry.holding == .parked, isRemoved(entry.connection) else { continue }
            table.entries[index] = nil
            table.parkedCount -= 1
            removed.append(entry.connection)
        }
        signalStopIfDone(&table)
        return removed
    }

    /// Once a stop began, the listener's queue is accepted and nothing is parked, makes
    /// ``next()`` return `nil` to every worker.
    private func signalStopIfDone(_ table: inout Table) {
        guard table.stopDeadline != nil, table.drainsListenerUntilEmptyFrom == nil, table.parkedCount == 0, !table.stopSignalled else { return }
        table.stopSignalled = true
        var one: UInt64 = 1
        _ = write(stopSignal, &one, MemoryLayout<UInt64>.size)
    }

    /// Adds a descriptor to the epoll set; false when the kernel refuses.
    @discardableResult
    private func register(_ descriptor: Int32, _ tag: UInt64, _ events: UInt32) -> Bool {
        var event = epoll_event(events: events, data: epoll_data_t(u64: tag))
        return epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0
    }

    /// Makes the ticker fire every `interval`.
    private func tick(every interval: Duration) {
        let (seconds, attoseconds) = interval.components
        let period = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var setting = itimerspec(it_interval: period, it_value: period)
        _ = timerfd_settime(ticker, 0, &setting, nil)
    }

    /// How often to look for connections parked too long: often enough that one closes
    /// within a quarter of the timeout, at most once a second.
    private static func tickInterval(closingAfter timeout: Duration) -> Duration {
        max(.milliseconds(50), min(.seconds(1), timeout / 4))
    }
}

#endif
