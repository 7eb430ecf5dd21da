// Running a Sluice application as a FastCGI responder.

import Dispatch
public import Logging
public import Sluice
import SluiceGateway

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs an application as a FastCGI responder behind nginx, Apache, lighttpd or Caddy.
///
/// ```swift
/// import Sluice
/// import SluiceFastCGI
///
/// FastCGI.main(App { request in .text("Hello from \(request.path)\n") })
/// ```
///
/// Requests are read and answered on dedicated worker threads, one request per worker at a
/// time; a connection the front server keeps open waits between requests without a worker.
/// The application runs in a Swift task on its worker's thread, and the worker does that
/// task's reads and writes, so neither side blocks the other's threads and memory stays
/// bounded both ways. While the task waits for other work, the worker watches the connection
/// and cancels the task when the client goes away. See Docs/nginx.md for deployment.
public enum FastCGI {
    /// What the responder can do (Spec REQ-14).
    ///
    /// Request bodies are not claimed to stream: nginx, lighttpd and Caddy by default buffer the
    /// whole upload before they pass it on, and the responder cannot tell. Flush reaches the
    /// front server, which may still buffer (Spec RESP-9; Docs/nginx.md says how to stop it).
    public static func capabilities(for configuration: FastCGIConfiguration) -> ServerCapabilities {
        ServerCapabilities(
            isConcurrent: configuration.workerCount > 1,
            isMultiprocess: configuration.processCount > 1,
            isRunOnce: false,
            streamsRequestBody: false,
            honoursFlush: true,
            supportsTrailers: false,
            supportsInformationalResponses: false
        )
    }

    /// Serves `application` until SIGTERM or SIGINT, then exits the process: 0 after a
    /// graceful shutdown, 1 when it could not listen or start. With one process it is a
    /// ``FastCGIServer`` run until terminated, which re-executes itself on SIGHUP.
    ///
    /// Call it from synchronous top-level code (a `main.swift` with no `await`): with
    /// ``FastCGIConfiguration/processCount`` above 1 it forks the worker processes first, and
    /// `fork` is only safe while the process has a single thread, before any Swift task ran.
    public static func main(
        _ application: some Application,
        configuration: FastCGIConfiguration = FastCGIConfiguration(),
        logger: Logger = defaultLogger
    ) -> Never {
        #if os(Linux)
        var socket: ListeningSocket
        do {
            socket = try ListeningSocket.open(configuration.address, socketMode: configuration.socketMode)
        } catch {
            logger.critical("not serving: \(error)")
            exit(1)
        }
        // Worker recycling needs a supervisor to start the next worker, even for one.
        let supervised = configuration.processCount > 1 || configuration.maxRequests != nil
        if supervised {
            Prefork.split(into: configuration.processCount, socket: socket)
            socket.isShared = true
        }
        // A supervisor reloads for its workers, and speaks to systemd for them (Prefork).
        let reload = supervised ? nil : HangUpReload(logger: logger)
        let server = FastCGIServer(
            application: application, configuration: configuration, logger: logger,
            launch: .init(notifiesSystemd: !supervised, socket: socket, reload: reload)
        )
        Task {
            guard await server.runUntilTerminated() == 0 else {
                // A supervisor stops when a worker cannot start, rather than start it again (Spec LIFE-1).
                exit(supervised ? Prefork.startupFailedStatus : 1)
            }
            if reload?.isRequested == true {
                Reload.reexecute(keeping: socket, workers: [])
                exit(1)
            }
            exit(0)
        }
        dispatchMain()
        #else
        logger.critical("not serving: \(FastCGIUnsupportedPlatform())")
        exit(1)
        #endif
    }

    /// Serves `application` until SIGTERM or SIGINT, then returns the status to exit with:
    /// 0 after a graceful shutdown, 1 when it could not listen or start. For programs with an
    /// asynchronous `main`; it serves from this process alone (prefork needs
    /// ``main(_:configuration:logger:)``), as ``FastCGIServer/runUntilTerminated()`` does.
    public static func run(
        _ application: some Application,
        configuration: FastCGIConfiguration = FastCGIConfiguration(),
        logger: Logger = defaultLogger
    ) async -> Int32 {
        if configuration.processCount > 1 {
            logger.warning("FastCGI.run cannot fork (prefork needs FastCGI.main): serving from this process alone")
        }
        return await FastCGIServer(application: application, configuration: configuration, logger: logger).runUntilTerminated()
    }

    /// Where the responder logs by default: standard error, which front servers that start
    /// their responders (spawn-fcgi, mod_fcgid) keep, when the program set up no logging.
    public static let defaultLogger = Logger(label: "sluice.fastcgi", factory: { StreamLogHandler.standardError(label: $0) })
}
