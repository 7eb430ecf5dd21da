// A Sluice application served over HTTP/1.1 on SwiftNIO, as a swift-service-lifecycle service.

public import Logging
import NIOCore
import NIOPosix
public import ServiceLifecycle
public import Sluice
import SluiceLifecycle
import SluiceSystemd
import UnixSignals

/// Serves an application over HTTP/1.1 (RFC 9112) and HTTP/2 (RFC 9113), in cleartext or over
/// TLS, straight to clients, with no front server.
///
/// ```swift
/// let server = HTTPServer(application: hello, configuration: .init(address: .tcp(host: "::", port: 8080)))
/// exit(await server.runUntilTerminated())
/// ```
///
/// It listens on one event loop per core (NIO's shared group), runs each request through
/// ``Gateway/respond(to:with:through:hookExecutor:)`` on its connection's event loop, and enforces the
/// configured limits and timeouts. As a `Service` it runs the application's `startup()` before
/// listening (a throw ends ``run()`` before anything is served, Spec LIFE-1), and on graceful
/// shutdown stops accepting, lets in-flight requests finish within the grace period, closes idle
/// connections, then runs `shutdown()` (Spec LIFE-2).
///
/// With ``HTTPServerConfiguration/tls`` set it serves TLS 1.2 and 1.3, offering HTTP/2 and
/// HTTP/1.1 by ALPN; `SIGHUP` makes it read the certificate and key files again for new
/// connections, without closing open ones. With ``HTTPServerConfiguration/HTTP2/cleartext`` it
/// serves HTTP/2 to cleartext clients that open with its preface (h2c by prior knowledge).
public struct HTTPServer<App: Application>: Service {
    /// The application served.
    public let application: App
    /// Where and how it is served.
    public let configuration: HTTPServerConfiguration
    /// Where the server logs: bad requests, failed responses, start and stop.
    public let logger: Logger
    private let onListening: @Sendable (_ port: Int?) -> Void
    /// Whether the listening socket is handed on when the server stops — kept for the program
    /// a reload re-executes on it — and so outlives the server, queue and all. A socket systemd
    /// passed always does.
    package var listenerIsHandedOn: @Sendable () -> Bool = { false }

    /// Creates a server.
    ///
    /// - Parameter onListening: Called once the socket listens, with the TCP port (useful
    ///   with port 0), or `nil` for a unix or systemd socket.
    public init(
        application: App,
        configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
        logger: Logger = Logger(label: "sluice.http"),
        onListening: @escaping @Sendable (_ port: Int?) -> Void = { _ in }
    ) {
        self.application = application
        self.configuration = configuration
        self.logger = logger
        self.onListening = onListening
    }

    /// Starts the application, serves until a graceful shutdown or cancellation, then shuts the
    /// application down. Throws what `startup()` or binding the socket threw, or why the TLS
    /// certificate or key cannot be used (before `startup()` runs).
    public func run() async throws {
        let tls = try configuration.tls.map { try TLSContextSource($0, offersHTTP2: configuration.http2.overTLS) }
        try await application.startup()
        do {
            try await serve(tls: tls)
        } catch {
            await application.shutdown()
            throw error
        }
        await application.shutdown()
    }

    /// Runs the server until SIGTERM or SIGINT and a graceful shutdown; returns the process
    /// exit status: 0, or 1 when start-up or listening failed (Spec LIFE-1). A second signal
    /// during the stop cancels the requests still running at once.
    public func runUntilTerminated() async -> Int32 {
        await ServerLifecycle.runUntilTerminated(self, logger: logger)
    }

    private func serve(tls: TLSContextSource?) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let connections = ConnectionRegistry(observer: configuration.observer)
        let settings = ConnectionSettings(
            limits: configuration.limits,
            timeouts: configuration.timeouts,
            serverHeader: configuration.serverHeader,
            logger: logger,
            errorLog: ErrorLog { [logger] message in logger.error("\(message)") },
            observer: configuration.observer,
            registry: connections
        )
        let setup = ConnectionSetup(
            // Local redirects are followed here, around the application (Spec HTTP-5).
            application: FollowingLocalRedirects(wrapped: application), settings: settings, executors: TaskExecutors(group: group),
            registry: connections, http2: configuration.http2, tls: tls
        )
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ConnectionRegistry.Acceptor(registry: connections))
                }
            }
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try setup.configureAccepted(channel)
                }
            }
        if case .tcp = configuration.address {
            bootstrap = bootstrap.childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        }
        let listeners = try await bind(bootstrap)
        onListening(listeners.first?.localAddress?.port)
        let count = listeners.count == 1 ? "" : " (\(listeners.count) sockets)"
        logger.info("listening on \(configuration.address)\(count)\(tls == nil ? "" : " (TLS)")")
        SystemdNotifier.ready()
        let reloads = tls.map { tls in Task { await reloadOnHangUp(tls) } }
        defer { reloads?.cancel() }
        let grace = configuration.shutdownGracePeriod
        try? await withTaskCancellationOrGracefulShutdownHandler {
            for listener in listeners {
                try await listener.closeFuture.get()
            }
        } onCancelOrGracefulShutdown: {
            SystemdNotifier.stopping()
            let isHandedOn: @Sendable () -> Bool
            switch configuration.address {
            case .systemdSocket, .systemdSockets: isHandedOn = { true }
            case .tcp, .unixSocket: isHandedOn = listenerIsHandedOn
            }
            ListenerDrain.close(listeners, loops: group, before: connections.beginStop(within: grace), isHandedOn: isHandedOn)
        }
        logger.info("stopped accepting; finishing in-flight requests")
        let stop = await connections.quiesce(within: grace)
        logger.info("graceful stop finished", metadata: ["closed_idle": "\(stop.closedIdle)", "cut_off_at_grace_end": "\(stop.cutOff)"])
    }

    /// Reads the TLS certificate and key again on every `SIGHUP`, until cancelled.
    private func reloadOnHangUp(_ tls: TLSContextSource) async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            do {
                try tls.reload()
                logger.notice("SIGHUP: reloaded the TLS certificate and key for new connections")
            } catch {
                logger.error("SIGHUP: the TLS certificate or key cannot be used, serving on with the previous ones: \(error)")
            }
        }
    }

    /// The listening channels: one, or one for each systemd socket served.
    private func bind(_ bootstrap: ServerBootstrap) async throws -> [any Channel] {
        switch configuration.address {
        case let .tcp(host, port):
            return [try await bootstrap.bind(host: host, port: port).get()]
        case let .unixSocket(path):
            return [try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()]
        case .systemdSocket:
            return try await bind(bootstrap, systemdSocketsNamed: nil)
        case let .systemdSockets(name):
            return try await bind(bootstrap, systemdSocketsNamed: name)
        }
    }

    private func bind(_ bootstrap: ServerBootstrap, systemdSocketsNamed name: String?) async throws -> [any Channel] {
        var listeners: [any Channel] = []
        do {
            for descriptor in try SystemdSocket.descriptors(named: name) {
                listeners.append(try await bootstrap.withBoundSocket(descriptor).get())
            }
        } catch {
            for listener in listeners { try? await listener.close() }
            throw error
        }
        return listeners
    }
}
