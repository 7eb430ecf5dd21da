// The worker threads of one process, and stopping them gracefully.

import Glibc
import Sluice
import Synchronization

/// Runs ``FastCGIConfiguration/workerCount`` worker threads that each accept a connection,
/// serve its requests one at a time, and accept again; and stops them on request.
///
/// The application is an ``Sluice/App``, a concrete type: the adapter's code and the gateway
/// it calls are then compiled for it, instead of running generic code that looks up type
/// metadata at every step of every request.
final class Server: Sendable {
    /// What a worker is doing, as far as a shutdown cares.
    private enum Phase {
        /// Accepting, or between requests on a fresh connection.
        case idle
        /// Waiting for the next request on a connection the front server keeps open.
        case waitingOnKeptConnection(Int32)
        /// Running an exchange on this connection, with the application's task.
        case serving(Int32, Task<Void, Never>?)
        /// Gone.
        case exited
    }

    /// One worker's phase, behind a lock of its own: every worker takes it a few times per
    /// request, and workers never wait for each other's. Only a shutdown reads them all.
    private final class Slot: Sendable {
        let phase = Mutex(Phase.idle)
    }

    private let application: App
    private let socket: ListeningSocket
    private let configuration: FastCGIConfiguration
    private let settings: ExchangeSettings
    private let values: ManagementValues
    private let slots: [Slot]
    private let shuttingDown = Atomic(false)

    init(application: App, socket: ListeningSocket, configuration: FastCGIConfiguration, capabilities: ServerCapabilities) {
        self.application = application
        self.socket = socket
        self.configuration = configuration
        settings = ExchangeSettings(mountPath: configuration.mountPath, limits: configuration.limits, capabilities: capabilities)
        values = ManagementValues(configuration)
        slots = (0..<configuration.workerCount).map { _ in Slot() }
    }

    /// Starts the worker threads.
    func start() {
        for index in 0..<configuration.workerCount {
            WorkerThread.start { self.work(index) }
        }
    }

    /// How many workers have not exited yet.
    var runningWorkers: Int {
        slots.filter { $0.phase.withLock { if case .exited = $0 { false } else { true } } }.count
    }

    /// Stops accepting, and ends the connections the front server keeps open between
    /// requests; requests in progress go on to their end.
    func stopAccepting() {
        // Set before the slots are read; a worker checks it under its slot's lock (enter), so
        // each kept connection is either seen here or never waited on.
        shuttingDown.store(true, ordering: .sequentiallyConsistent)
        let kept = slots.compactMap { slot in
            slot.phase.withLock { if case let .waitingOnKeptConnection(descriptor) = $0 { descriptor } else { nil } }
        }
        socket.stopAccepting()
        for descriptor in kept {
            _ = shutdown(descriptor, Int32(SHUT_RDWR))
        }
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

    /// One worker's life: accept, serve every request on the connection, again.
    private func work(_ index: Int) {
        let streams = RequestStreams(limits: configuration.limits, values: values)
        // One exchange per worker, run once per request: building one per request copied
        // the application and the settings every time.
        let exchange = Exchange(streams: streams, commands: CommandQueue(), application: application, settings: settings)
        defer { setPhase(index, .exited) }
        while !isShuttingDown, let accepted = socket.accept(timeout: configuration.limits.readTimeout) {
            let connection = Connection(descriptor: accepted, limits: configuration.limits)
            streams.attach(connection)
            serve(connection, index: index, streams: streams, exchange: exchange)
            streams.detach()
            connection.close()
            setPhase(index, .idle)
        }
    }

    /// Serves the requests on `connection` until it is closed: by the front server, after a
    /// request without `FCGI_KEEP_CONN`, or by a failure or a shutdown.
    private func serve(_ connection: Connection, index: Int, streams: RequestStreams, exchange: Exchange) {
        let descriptor = connection.descriptor
        var isKept = false
        while true {
            if isKept {
                guard enter(index, .waitingOnKeptConnection(descriptor)) else { return }
            }
            guard case let .request(variables) = streams.awaitRequest() else { return }
            setPhase(index, .serving(descriptor, nil))
            let succeeded = exchange.run(variables) { task in setPhase(index, .serving(descriptor, task)) }
            if succeeded {
                isKept = streams.finish(keepingConnection: !isShuttingDown)
            } else {
                streams.abort()
                isKept = false
            }
            setPhase(index, .idle)
            guard isKept else { return }
        }
    }

    private var isShuttingDown: Bool {
        shuttingDown.load(ordering: .sequentiallyConsistent)
    }

    private func setPhase(_ index: Int, _ phase: Phase) {
        slots[index].phase.withLock { $0 = phase }
    }

    /// Enters a phase unless the server is shutting down.
    private func enter(_ index: Int, _ phase: Phase) -> Bool {
        slots[index].phase.withLock { current in
            guard !isShuttingDown else { return false }
            current = phase
            return true
        }
    }
}

extension ManagementValues {
    /// The values of a responder running `configuration`: every worker of every process
    /// serves one connection, and one request on it, at a time.
    init(_ configuration: FastCGIConfiguration) {
        let workers = configuration.processCount * configuration.workerCount
        self.init(maximumConnections: workers, maximumRequests: workers)
    }
}
