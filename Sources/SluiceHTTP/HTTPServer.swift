// A Sluice application served over HTTP/1.1 on SwiftNIO, as a swift-service-lifecycle service.

public import Logging
public import ServiceLifecycle
public import Sluice
import NIOCore
import NIOPosix

/// Serves an application over HTTP/1.1 (RFC 9112) straight to clients, with no front server.
///
/// ```swift
/// let server = HTTPServer(application: hello, configuration: .init(address: .tcp(host: "::", port: 8080)))
/// exit(await server.runUntilTerminated())
/// ```
///
/// It listens on one event loop per core (NIO's shared group), runs each request through
/// ``Gateway/respond(to:with:through:)`` on its connection's event loop, and enforces the
/// configured limits and timeouts. As a `Service` it runs the application's `startup()` before
/// listening (a throw ends ``run()`` before anything is served, Spec LIFE-1), and on graceful
/// shutdown stops accepting, lets in-flight requests finish within the grace period, closes idle
/// connections, then runs `shutdown()` (Spec LIFE-2).
public struct HTTPServer<App: Application>: Service {
    /// The application served.
    public let application: App
    /// Where and how it is served.
    public let configuration: HTTPServerConfiguration
    /// Where the server logs: bad requests, failed responses, start and stop.
    public let logger: Logger
    private let onListening: @Sendable (_ port: Int?) -> Void

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
    /// application down. Throws what `startup()` or binding the socket threw.
    public func run() async throws {
        try await application.startup()
        do {
            try await serve()
        } catch {
            await application.shutdown()
            throw error
        }
        await application.shutdown()
    }

    /// Runs the server until SIGTERM or SIGINT and a graceful shutdown; returns the process
    /// exit status: 0, or 1 when start-up or listening failed (Spec LIFE-1).
    public func runUntilTerminated() async -> Int32 {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: self, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
            return 0
        } catch {
            logger.critical("not serving: \(error)")
            return 1
        }
    }

    private func serve() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let executors = TaskExecutors(group: group)
        let connections = ConnectionRegistry(observer: configuration.observer)
        let settings = ConnectionSettings(
            limits: configuration.limits,
            timeouts: configuration.timeouts,
            serverHeader: configuration.serverHeader,
            logger: logger,
            errorLog: ErrorLog { [logger] message in logger.error("\(message)") },
            observer: configuration.observer
        )
        // Local redirects are followed here, around the application (Spec HTTP-5).
        let application = FollowingLocalRedirects(wrapped: self.application)
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
                    try ConnectionPipeline.configure(
                        channel, application: application, settings: settings, executor: executors.executor(for: channel.eventLoop)
                    )
                    connections.configured(channel)
                }
            }
        if case .tcp = configuration.address {
            bootstrap = bootstrap.childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        }
        let listener = try await bind(bootstrap)
        onListening(listener.localAddress?.port)
        logger.info("listening on \(configuration.address)")
        let grace = configuration.shutdownGracePeriod
        try? await withTaskCancellationOrGracefulShutdownHandler {
            try await listener.closeFuture.get()
        } onCancelOrGracefulShutdown: {
            ListenerDrain.close(listener, loops: group, registry: connections, before: connections.beginStop(within: grace))
        }
        logger.info("stopped accepting; finishing in-flight requests")
        await connections.quiesce(within: grace)
    }

    private func bind(_ bootstrap: ServerBootstrap) async throws -> any Channel {
        switch configuration.address {
        case let .tcp(host, port):
            return try await bootstrap.bind(host: host, port: port).get()
        case let .unixSocket(path):
            return try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
        case .systemdSocket:
            return try await bootstrap.withBoundSocket(try SystemdSocket.descriptor()).get()
        }
    }
}
