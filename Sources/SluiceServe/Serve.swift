// The one call in an application's main: run as whatever the process was started as.

import Dispatch
import Logging
public import Sluice
import SluiceCGI
import SluiceFastCGI
import SluiceHTTP

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves `application` the way the process was started, then exits; call it once, from a
/// program's synchronous top-level code:
///
/// ```swift
/// import Sluice
/// import SluiceServe
///
/// serve(App { request in .text("Hello from \(request.path)\n") })
/// ```
///
/// - Under CGI (one of ``SluiceCGI/CGI/requestVariableNames`` in the environment, even empty,
///   and no listening socket inherited) it answers the one request, before the command line is even
///   parsed: a CGI program starts once per request (Docs/running.md). It never listens then
///   (Spec CGI-13), whatever the command line says.
/// - With `--fastcgi ADDRESS`, or when descriptor 0 is a listening socket (spawn-fcgi,
///   lighttpd's `bin-path`, mod_fcgid), it is a FastCGI responder.
/// - With `--http ADDRESS`, or by default on 127.0.0.1:8080, it serves HTTP/1.1 itself, and
///   with `--tls-certificate` and `--tls-key` TLS and HTTP/2 as well.
/// - Under systemd socket activation (`LISTEN_FDS`) it serves the passed sockets, HTTP unless
///   `--systemd fastcgi` says otherwise: HTTP on every one, FastCGI on the first; with
///   `--listen-fd-name NAME`, only those `LISTEN_FDNAMES` names so.
///
/// `--help` lists every flag; each has an environment variable (`SLUICE_` and the flag's name),
/// and a flag wins over its variable, which wins over the default.
///
/// Under FastCGI and HTTP every request gets an id (`X-Request-ID`, `--request-id-header`) and
/// a line in the access log (`--access-log common|combined|json|off`); with
/// `--trusted-proxies`, the forwarding fields of those proxies are believed
/// (Docs/observability.md). Under CGI the web server keeps the access log.
///
/// It is synchronous and never returns because FastCGI's `--processes N` forks worker
/// processes, and `fork` is only safe while the process has a single thread: the mode is
/// chosen and the workers forked before Swift concurrency starts a thread. Prefer it to the
/// adapters' own entry points unless start-up time under CGI matters above all:
/// ``SluiceCGI/CGI/main(_:limits:)`` is still the fastest CGI program.
///
/// - Parameters:
///   - observer: Told of the adapter's connections, busy workers and refused requests, for
///     metrics (`SluiceMetrics`); not used under CGI.
///   - arguments: The command line without the program name.
public func serve(
    _ application: some Application,
    observer: (any ServerObserver)? = nil,
    arguments: [String] = Array(CommandLine.arguments.dropFirst())
) -> Never {
    if ServeMode.startsAsCGI(hasVariable: { getenv($0) != nil }, detected: FastCGIListenAddress.detected()) {
        // No argument parsing, no logging set-up: a CGI request pays only for the request.
        CGI.main(application, limits: CGILimits(maxBodyBytes: EnvironmentFallback.cgiMaximumBodyLength()))
    }
    let environment = EnvironmentFallback.processEnvironment()
    let settings: ServeSettings
    do {
        let options = try ServeCommand.parse(arguments)
        settings = try ServeSettings(options: options, environment: environment)
    } catch {
        ServeCommand.exit(withError: error)
    }
    let logger = ServeLogging.bootstrap(format: settings.logFormat, level: settings.logLevel)
    let mode = ServeMode.choose(
        requested: settings.requestedMode, detected: FastCGIListenAddress.detected(), systemdSocketName: settings.systemdSocketName
    )
    settings.warnAboutUnusedSettings(in: mode, logger: logger)
    // Mounted first, so that the access log also sees the requests outside the mount.
    var mounted: any Application = application
    if !settings.mountPath.isEmpty {
        mounted = Mount([settings.mountPath: application])
    }
    let middleware = settings.operations.middleware(accessLogger: Logger(label: ServeLogging.accessLogLabel))
    if middleware.isEmpty, mounted is Mount == false {
        serve(application, in: mode, settings: settings, observer: observer, logger: logger)
    }
    let wrapped = middleware.reversed().reduce(mounted) { inner, outer in outer(inner) }
    serve(wrapped, in: mode, settings: settings, observer: observer, logger: logger)
}

/// Serves `application` (mounted already) in `mode`, then exits.
private func serve(
    _ application: some Application, in mode: ServeMode, settings: ServeSettings, observer: (any ServerObserver)?, logger: Logger
) -> Never {
    switch mode {
    case let .fastCGI(address):
        if address == .systemdSocket, let name = settings.systemdSocketName {
            do {
                try SystemdSocketChoice.moveToFirst(named: name)
            } catch {
                logger.critical("not serving: \(error)")
                exit(1)
            }
        }
        var configuration = settings.fastCGI
        configuration.address = address
        configuration.observer = observer
        logger.info(
            "serving FastCGI", metadata: ["address": "\(address)", "workers": "\(configuration.workerCount)", "processes": "\(configuration.processCount)"])
        // A FastCGIServer run until terminated, and re-executed on SIGHUP, as serveHTTP does
        // below; FastCGI.main also forks the worker processes (--processes) first.
        FastCGI.main(application, configuration: configuration, logger: logger)
    case let .http(address):
        var configuration = settings.http
        configuration.address = HTTPReload.adoptInheritedSocket(replacing: address)
        configuration.observer = observer
        serveHTTP(application, configuration: configuration, requestedAddress: address, logger: logger)
    }
}

/// Runs an ``SluiceHTTP/HTTPServer`` until SIGTERM or SIGINT, then exits with its status;
/// after SIGHUP, re-executes the program on the same socket instead (``HTTPReload``) — in
/// cleartext only.
private func serveHTTP(
    _ application: some Application, configuration: HTTPServerConfiguration, requestedAddress: HTTPListenAddress, logger: Logger
) -> Never {
    var server = HTTPServer(application: application, configuration: configuration, logger: logger)
    // With TLS, SIGHUP is the server's own: it rereads the certificate and key in place and
    // keeps every connection (Spec HTTP-11), so the program is not re-executed.
    let reload = configuration.tls == nil ? HTTPReload(logger: logger, address: requestedAddress) : nil
    server.listenerIsHandedOn = { reload?.isHandingOnSocket ?? false }
    Task {
        let status = await server.runUntilTerminated()
        if status == 0 {
            reload?.reexecuteIfRequested()
        }
        exit(status)
    }
    dispatchMain()
}
