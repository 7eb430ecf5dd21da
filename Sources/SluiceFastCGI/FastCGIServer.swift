// A Sluice application served as a FastCGI responder, as a swift-service-lifecycle service.

public import Logging
public import ServiceLifecycle
public import Sluice
import SluiceLifecycle
import SluiceSystemd

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves an application as a FastCGI responder behind nginx, Apache, lighttpd or Caddy, from
/// this process alone.
///
/// ```swift
/// let server = FastCGIServer(application: hello, configuration: .init(address: .unixSocket(path: "/run/app.sock")))
/// exit(await server.runUntilTerminated())
/// ```
///
/// As a `Service` it opens its listening socket and runs the application's `startup()` before
/// serving (a throw ends ``run()`` before anything is served, Spec LIFE-1); on graceful
/// shutdown it stops accepting, closes the connections kept idle, lets in-flight requests finish
/// within ``FastCGIConfiguration/shutdownGracePeriod``, cancels those still running, then runs
/// `shutdown()` (Spec LIFE-2, LIFE-5) and returns — as ``HTTPServer`` does for HTTP.
/// Prefork and worker recycling fork processes, which only ``FastCGI/main(_:configuration:logger:)``
/// can do.
public struct FastCGIServer<App: Application>: Service {
    /// The application served.
    public let application: App
    /// Where and how it is served.
    public let configuration: FastCGIConfiguration
    /// Where the server logs start-up failures, the stop, and requests cut off by it.
    public let logger: Logger
    private let launch: Launch

    /// What ``FastCGI/main(_:configuration:logger:)`` settled before it forked.
    struct Launch: Sendable {
        /// Whether this process speaks to systemd (a supervisor does, for its workers).
        var notifiesSystemd = true
        #if os(Linux)
        /// The listening socket, opened before the fork; `nil` opens the configured address.
        var socket: ListeningSocket?
        /// Set when SIGHUP asked this process to re-execute itself once stopped.
        var reload: HangUpReload?
        #endif
    }

    /// Creates a server.
    public init(
        application: App,
        configuration: FastCGIConfiguration = FastCGIConfiguration(),
        logger: Logger = FastCGI.defaultLogger
    ) {
        self.init(application: application, configuration: configuration, logger: logger, launch: Launch())
    }

    init(application: App, configuration: FastCGIConfiguration, logger: Logger, launch: Launch) {
        self.application = application
        self.configuration = configuration
        self.logger = logger
        self.launch = launch
    }

    /// Listens, starts the application, serves until a graceful shutdown or cancellation, then
    /// shuts the application down. Throws why it could not listen (``ListenerError``), or what
    /// `startup()` threw; ``FastCGIUnsupportedPlatform`` on a platform other than Linux.
    public func run() async throws {
        #if os(Linux)
        let socket = try launch.socket ?? ListeningSocket.open(configuration.address, socketMode: configuration.socketMode)
        // A front server that closes the connection must fail a write, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        try await application.startup()
        let (stops, requestStop) = AsyncStream.makeStream(of: Void.self)
        let requestLimit = configuration.maxRequests.map { $0 + Int.random(in: 0...max(0, configuration.maxRequestsJitter)) }
        // The deprecated configured mount, as the one way to mount does it.
        let mounted: any Application = configuration.legacyMountPath.isEmpty ? application : Mount([configuration.legacyMountPath: application])
        // Erased once into the concrete App, which calls `application` back: only its requests.
        let server = Server(
            application: Sluice.App { request in try await mounted.respond(to: request) }, socket: socket, configuration: configuration,
            capabilities: FastCGI.capabilities(for: configuration), requestLimit: requestLimit
        ) { [logger] in
            logger.notice("worker process \(getpid()) served \(requestLimit ?? 0) requests (--max-requests): stopping it for a fresh one")
            requestStop.yield()
        }
        server.start()
        if launch.notifiesSystemd {
            SystemdNotifier.ready()
        }
        await withGracefulShutdownHandler {
            for await _ in stops { break }
        } onGracefulShutdown: {
            requestStop.yield()
        }
        let reloading = launch.reload?.isRequested ?? false
        if launch.notifiesSystemd && !reloading {
            SystemdNotifier.stopping()
        }
        server.stopAccepting(keepingListener: reloading)
        // A cancellation (a second signal) ends the grace period at once.
        if await !server.drained(within: configuration.shutdownGracePeriod) {
            logger.warning("requests still running at the end of the grace period: cancelling them")
            server.abandonRequests()
            // Not cancelled with this task: the cancelled requests get a moment to end.
            _ = await Task { await server.drained(within: .seconds(5)) }.value
        }
        await application.shutdown()
        #else
        throw FastCGIUnsupportedPlatform()
        #endif
    }

    /// Runs the server until SIGTERM or SIGINT and a graceful shutdown; returns the process
    /// exit status: 0, or 1 when listening or start-up failed (Spec LIFE-1). A second signal
    /// during the stop cancels the requests still running at once.
    public func runUntilTerminated() async -> Int32 {
        await ServerLifecycle.runUntilTerminated(self, logger: logger)
    }
}
