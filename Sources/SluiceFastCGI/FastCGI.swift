// Running a Sluice application as a FastCGI responder.

import Dispatch
import Glibc
public import Sluice
import SluiceGateway
import SluiceSystemd
import Synchronization

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
    /// graceful shutdown, 1 when it could not listen or start.
    ///
    /// Call it from synchronous top-level code (a `main.swift` with no `await`): with
    /// ``FastCGIConfiguration/processCount`` above 1 it forks the worker processes first, and
    /// `fork` is only safe while the process has a single thread, before any Swift task ran.
    public static func main(_ application: some Application, configuration: FastCGIConfiguration = FastCGIConfiguration()) -> Never {
        var socket: ListeningSocket
        do {
            socket = try listen(configuration)
        } catch {
            ErrorLog.standardError.write("sluice: \(error)")
            exit(1)
        }
        // Worker recycling needs a supervisor to start the next worker, even for one.
        let supervised = configuration.processCount > 1 || configuration.maximumRequests != nil
        if supervised {
            Prefork.split(into: configuration.processCount, socket: socket)
            socket.isShared = true
        }
        Task {
            // A supervisor speaks to systemd for its workers (Prefork).
            switch await serve(application, on: socket, configuration: configuration, reloadsOnHangUp: !supervised, notifiesSystemd: !supervised) {
            case .stopped:
                exit(0)
            case .failedToStart:
                // A supervisor stops when a worker cannot start, rather than start it again (Spec LIFE-1).
                exit(supervised ? Prefork.startupFailedStatus : 1)
            case .reloading:
                Reload.reexecute(keeping: socket, workers: [])
                exit(1)
            }
        }
        dispatchMain()
    }

    /// Serves `application` until SIGTERM or SIGINT, then returns the status to exit with:
    /// 0 after a graceful shutdown, 1 when it could not listen or start. For programs with an
    /// asynchronous `main`; it serves from this process alone (prefork needs ``main(_:configuration:)``).
    public static func run(_ application: some Application, configuration: FastCGIConfiguration = FastCGIConfiguration()) async -> Int32 {
        if configuration.processCount > 1 {
            ErrorLog.standardError.write("sluice: FastCGI.run cannot fork (prefork needs FastCGI.main): serving from this process alone")
        }
        do {
            let socket = try listen(configuration)
            return await serve(application, on: socket, configuration: configuration, reloadsOnHangUp: false, notifiesSystemd: true) == .stopped ? 0 : 1
        } catch {
            ErrorLog.standardError.write("sluice: \(error)")
            return 1
        }
    }

    private static func listen(_ configuration: FastCGIConfiguration) throws(ListenerError) -> ListeningSocket {
        try ListeningSocket.open(configuration.listener, socketMode: configuration.socketMode)
    }

    /// How serving ended.
    private enum Ending {
        /// After a graceful stop.
        case stopped
        /// `startup()` threw: nothing was served.
        case failedToStart
        /// After a graceful stop for SIGHUP: the process re-executes itself on the socket.
        case reloading
    }

    /// Starts the application and the workers, waits for a shutdown signal, lets the requests
    /// in progress finish within the grace period, and stops the application (Spec LIFE-1,
    /// LIFE-2). With `reloadsOnHangUp`, SIGHUP stops it the same way, for a reload; with
    /// `notifiesSystemd`, it tells systemd when it is ready and when it stops.
    private static func serve(
        _ application: some Application,
        on socket: ListeningSocket,
        configuration: FastCGIConfiguration,
        reloadsOnHangUp: Bool,
        notifiesSystemd: Bool
    ) async -> Ending {
        // A front server that closes the connection must fail a write, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        do {
            try await application.startup()
        } catch {
            ErrorLog.standardError.write("sluice: the application failed to start: \(error)")
            return .failedToStart
        }
        let stopRequested = Latch()
        let requestLimit = configuration.maximumRequests.map { $0 + Int.random(in: 0...max(0, configuration.maximumRequestsJitter)) }
        // Erased once into the concrete App, which calls `application` back. Only its
        // requests: this function runs the start-up and shut-down itself, and closures left
        // empty capture nothing that each request's task would retain.
        let server = Server(
            application: App(application.respond),
            socket: socket, configuration: configuration,
            capabilities: capabilities(for: configuration),
            requestLimit: requestLimit
        ) {
            ErrorLog.standardError.write("sluice: worker process \(getpid()) served \(requestLimit ?? 0) requests (--max-requests): stopping it for a fresh one")
            stopRequested.open()
        }
        let reloading = Mutex(false)
        ShutdownSignal.watch(reloadsOnHangUp: reloadsOnHangUp) { reload in
            if reload {
                ErrorLog.standardError.write("sluice: SIGHUP: finishing the requests in progress, then re-executing on the same socket")
                SystemdNotifier.reloading()
            } else if notifiesSystemd {
                SystemdNotifier.stopping()
            }
            reloading.withLock { $0 = reload }
            stopRequested.open()
        }
        server.start()
        if notifiesSystemd {
            SystemdNotifier.ready()
        }
        await stopRequested.wait()
        server.stopAccepting(keepingListener: reloading.withLock { $0 })
        if await !waitUntilIdle(server, within: configuration.shutdownGracePeriod) {
            ErrorLog.standardError.write("sluice: requests still running after the grace period: cancelling them")
            server.abandonRequests()
            _ = await waitUntilIdle(server, within: .seconds(5))
        }
        await application.shutdown()
        return reloading.withLock { $0 } ? .reloading : .stopped
    }

    /// Waits until every worker has exited and every request's task ended, or `limit`
    /// passed; whether they did.
    private static func waitUntilIdle(_ server: Server, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while server.running != (0, 0) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
