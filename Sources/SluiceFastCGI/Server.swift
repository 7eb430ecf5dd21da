// The worker threads of one process, and stopping them gracefully.

#if os(Linux)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Sluice
import Synchronization

/// Runs ``FastCGIConfiguration/workerCount`` worker threads that each take the next
/// connection with work — a new one, or a kept one whose next request arrived — serve its
/// request, park it again, and take the next; and stops them on request.
///
/// The application is an ``Sluice/App``, a concrete type: the adapter's code and the gateway
/// it calls are then compiled for it, instead of running generic code that looks up type
/// metadata at every step of every request.
final class Server: Sendable {
    /// What a worker is doing, as far as a shutdown cares.
    private enum Phase {
        /// Waiting for work, or reading a request.
        case idle
        /// Running an exchange on this connection, with the application's task.
        case serving(Int32, Task<Void, Never>?)
        /// Gone.
        case exited
    }

    /// One worker's phase, behind a lock of its own: every worker takes it a few times per
    /// request, and workers never wait for each other's. Only a shutdown reads them all.
    private final class Slot: Sendable {
        let phase = Mutex(Phase.idle)
        /// The worker's queue, which also counts the tasks it gave up on.
        let commands: CommandQueue

        init(changed: @escaping @Sendable () -> Void) {
            commands = CommandQueue(abandonedTaskEnded: changed)
        }
    }

    private let application: App
    private let poller: Poller
    private let configuration: FastCGIConfiguration
    private let settings: ExchangeSettings
    private let values: ManagementValues
    private let slots: [Slot]
    private let shuttingDown = Atomic(false)
    /// Worker recycling: the requests this process serves before it stops, and what to call
    /// when it has (once).
    private let requestLimit: Int?
    private let limitReached: @Sendable () -> Void
    private let requestsServed = Atomic(0)
    /// Told each time a worker exits or a task given up on ends, and tells a drain waiting.
    private final class Changes: Sendable {
        let watcher = Mutex<AsyncStream<Void>.Continuation?>(nil)

        func happened() {
            watcher.withLock { $0 }?.yield()
        }
    }

    private let changes = Changes()

    init(
        application: App, socket: ListeningSocket, configuration: FastCGIConfiguration, capabilities: ServerCapabilities,
        requestLimit: Int? = nil, limitReached: @escaping @Sendable () -> Void = {}
    ) {
        self.application = application
        self.requestLimit = requestLimit
        self.limitReached = limitReached
        self.configuration = configuration
        poller = Poller(listener: socket, limits: configuration.limits)
        settings = ExchangeSettings(
            limits: configuration.limits, capabilities: capabilities,
            requestTimeout: configuration.requestTimeout, observer: configuration.observer
        )
        values = ManagementValues(configuration)
        slots = (0..<configuration.workerCount).map { [changes] _ in Slot(changed: changes.happened) }
    }

    /// Starts the worker threads.
    func start() {
        for index in 0..<configuration.workerCount {
            WorkerThread.start { self.work(index) }
        }
    }

    /// How many workers have not exited yet, and tasks of requests whose client went away
    /// are still running: the server is idle when both are none.
    var running: (workers: Int, abandonedTasks: Int) {
        slots.reduce(into: (0, 0)) { count, slot in
            if slot.phase.withLock({ if case .exited = $0 { false } else { true } }) { count.0 += 1 }
            count.1 += slot.commands.abandonedTasks
        }
    }

    /// Waits until every worker has exited and every request's task ended — or `limit` passed,
    /// or the task is cancelled; whether they did. One caller at a time.
    func drained(within limit: Duration) async -> Bool {
        let (changed, watcher) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        // Watching before looking: no change between the two goes unseen.
        changes.watcher.withLock { $0 = watcher }
        defer { changes.watcher.withLock { $0 = nil } }
        return await withTaskGroup(of: Bool.self) { waits in
            waits.addTask { [self] in
                if running == (0, 0) { return true }
                for await _ in changed where running == (0, 0) { return true }
                return false
            }
            waits.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let drained = await waits.next() ?? false
            waits.cancelAll()
            return drained
        }
    }

    /// Stops accepting, and closes the connections the front server keeps open between
    /// requests; requests in progress go on to their end, and a new connection gets a moment
    /// to deliver its first (Spec LIFE-5).
    /// With `keepingListener`, the listening socket stays open and listening, for a reload.
    /// Only the first call does anything.
    func stopAccepting(keepingListener: Bool = false) {
        guard !shuttingDown.exchange(true, ordering: .sequentiallyConsistent) else { return }
        poller.stop(window: .milliseconds(500), keepingListener: keepingListener)
    }

    /// Cancels the requests still running and cuts their connections: the grace period is over.
    func abandonRequests() {
        let serving = slots.compactMap { slot in
            slot.phase.withLock { if case let .serving(descriptor, task) = $0 { (descriptor, task) } else { nil } }
        }
        for (descriptor, task) in serving {
            task?.cancel()
            _ = shutdown(descriptor, Int32(SHUT_RDWR))
        }
    }

    /// One worker's life: take a connection with work, serve it, again.
    private func work(_ index: Int) {
        let slot = slots[index]
        let streams = RequestStreams(limits: configuration.limits, values: values)
        // One exchange per worker, run once per request: building one per request copied
        // the application and the settings every time.
        let exchange = Exchange(streams: streams, commands: slot.commands, application: application, settings: settings)
        defer {
            setPhase(slot, .exited)
            changes.happened()
        }
        while let connection = poller.next() {
            serve(connection, streams: streams, exchange: exchange, slot: slot)
        }
    }

    /// Serves the requests on `connection` that have arrived, then parks or closes it.
    private func serve(_ connection: Connection, streams: RequestStreams, exchange: Exchange, slot: Slot) {
        streams.attach(connection)
        // A connection just taken up has bytes to read; one that served a request is parked
        // without a read that would find none: the poller says when more come.
        var mayRead = true
        while true {
            switch streams.awaitRequest(mayRead: mayRead) {
            case .incomplete:
                streams.detach()
                switch poller.park(connection) {
                case .parked:
                    return
                case .bytesArrived:
                    streams.attach(connection)
                    mayRead = true
                case .stopping:
                    poller.close(connection)
                    return
                }
            case .closed:
                streams.detach()
                poller.close(connection)
                return
            case let .request(variables):
                let descriptor = connection.descriptor
                setPhase(slot, .serving(descriptor, nil))
                configuration.observer?.workerBecameBusy()
                let succeeded = exchange.run(variables) { task in setPhase(slot, .serving(descriptor, task)) }
                configuration.observer?.workerBecameIdle()
                let kept: Bool
                if succeeded {
                    kept = streams.finish(keepingConnection: !isShuttingDown)
                } else {
                    streams.abort()
                    kept = false
                }
                setPhase(slot, .idle)
                countServed()
                guard kept else {
                    streams.detach()
                    poller.close(connection)
                    return
                }
                mayRead = false
            }
        }
    }

    /// Counts a request served, and calls ``limitReached`` when it is the last of the limit.
    private func countServed() {
        guard let requestLimit else { return }
        if requestsServed.add(1, ordering: .relaxed).newValue == requestLimit {
            // At once, from this worker: a stop that waited for a task to run would let the
            // process accept requests past its limit.
            stopAccepting()
            limitReached()
        }
    }

    private var isShuttingDown: Bool {
        shuttingDown.load(ordering: .sequentiallyConsistent)
    }

    private func setPhase(_ slot: Slot, _ phase: Phase) {
        slot.phase.withLock { $0 = phase }
    }
}

extension ManagementValues {
    /// The values of a responder running `configuration`: every worker of every process
    /// serves one request at a time, and a process holds as many connections as it may open
    /// descriptors, since a kept connection waits without a worker.
    init(_ configuration: FastCGIConfiguration) {
        var limit = rlimit()
        let descriptors = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Int(clamping: limit.rlim_cur) : 1024
        self.init(
            maximumConnections: configuration.processCount * descriptors,
            maximumRequests: configuration.processCount * configuration.workerCount
        )
    }
}

#endif
