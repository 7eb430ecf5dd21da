// The command line and the environment, resolved into the adapters' configurations.

import ArgumentParser
import Logging
import Sluice
import SluiceFastCGI
import SluiceHTTP
import SluiceMiddleware

/// Every setting after the precedence flag > environment variable > adapter default.
struct ServeSettings {
    /// What `--http`, `--fastcgi` or `--systemd` asked for; `nil` lets the process's start decide.
    var requestedMode: RequestedMode?
    /// The HTTP server's configuration (its address is the mode's).
    var http = HTTPServerConfiguration()
    /// The FastCGI responder's configuration (its address is the mode's).
    var fastCGI = FastCGIConfiguration()
    /// The name of the systemd sockets to serve (`LISTEN_FDNAMES`); `nil` for every one (HTTP)
    /// or the first (FastCGI).
    var systemdSocketName: String?
    /// The prefix the application is mounted at; `""` for the root.
    var mountPath = ""
    var logFormat = LogFormat.human
    var logLevel = Logger.Level.info
    /// The access log, request ids and trusted proxies.
    var operations = OperationsSettings()
    /// The flags given (or their variables) that only HTTP uses, and only FastCGI.
    private(set) var httpOnly: [String] = []
    private(set) var fastCGIOnly: [String] = []

    init(options: ServeCommand, environment: [String: String]) throws {
        let fallback = EnvironmentFallback(variables: environment)
        requestedMode = try Self.requestedMode(options.mode, fallback)
        if let name = try fallback.value(options.mode.listenFdName, "SLUICE_LISTEN_FD_NAME") {
            guard !name.isEmpty, !name.contains(":") else {
                throw ValidationError("--listen-fd-name (SLUICE_LISTEN_FD_NAME): \"\(name)\" is not a socket name (FileDescriptorName=)")
            }
            systemdSocketName = name
        }

        let listening = options.listening
        if let mount = try fallback.value(listening.mount, "SLUICE_MOUNT") {
            mountPath = mount
        }
        if let workers = try fallback.positive(listening.workers, "SLUICE_WORKERS") {
            fastCGI.workerCount = workers
            fastCGIOnly.append("--workers")
        }
        if let processes = try fallback.positive(listening.processes, "SLUICE_PROCESSES") {
            fastCGI.processCount = processes
            fastCGIOnly.append("--processes")
        }
        if let text = try fallback.value(listening.socketMode, "SLUICE_SOCKET_MODE") {
            guard let mode = UInt32(text, radix: 8), mode <= 0o777 else {
                throw ValidationError("--socket-mode (SLUICE_SOCKET_MODE): \"\(text)\" is not an octal mode such as 660")
            }
            fastCGI.socketMode = mode
            fastCGIOnly.append("--socket-mode")
        }
        if let header = try fallback.value(listening.serverHeader, "SLUICE_SERVER_HEADER") {
            http.serverHeader = header.isEmpty ? nil : header
            httpOnly.append("--server-header")
        }

        try readSecurity(options.security, fallback)

        let limits = options.limits
        if let bytes = try fallback.positive(limits.maxBodyBytes, "SLUICE_MAX_BODY_BYTES") {
            http.limits.maxBodyBytes = bytes
            fastCGI.limits.maxBodyBytes = bytes
        }
        Self.set(&http.limits.maxTargetBytes, try fallback.positive(limits.maxTargetBytes, "SLUICE_MAX_TARGET_BYTES"), "--max-target-bytes", noting: &httpOnly)
        Self.set(&http.limits.maxHeaderBytes, try fallback.positive(limits.maxHeaderBytes, "SLUICE_MAX_HEADER_BYTES"), "--max-header-bytes", noting: &httpOnly)
        Self.set(&http.limits.maxHeaderCount, try fallback.positive(limits.maxHeaderCount, "SLUICE_MAX_HEADER_COUNT"), "--max-header-count", noting: &httpOnly)
        Self.set(
            &fastCGI.limits.maxParamsBytes, try fallback.positive(limits.maxParamsBytes, "SLUICE_MAX_PARAMS_BYTES"), "--max-params-bytes", noting: &fastCGIOnly)
        if let rate = try fallback.value(limits.minBodyRate, "SLUICE_MIN_BODY_RATE") {
            guard rate >= 0 else { throw ValidationError("--min-body-rate (SLUICE_MIN_BODY_RATE) must be 0 or more, not \(rate)") }
            fastCGI.limits.minBodyRate = rate == 0 ? nil : MinimumBodyRate(bytesPerSecond: rate)
            fastCGIOnly.append("--min-body-rate")
        }

        let timeouts = options.timeouts
        Self.set(&http.timeouts.idle, try fallback.seconds(timeouts.idleTimeout, "SLUICE_IDLE_TIMEOUT"), "--idle-timeout", noting: &httpOnly)
        Self.set(&http.timeouts.requestHead, try fallback.seconds(timeouts.headTimeout, "SLUICE_HEAD_TIMEOUT"), "--head-timeout", noting: &httpOnly)
        Self.set(&http.timeouts.bodyRead, try fallback.seconds(timeouts.bodyTimeout, "SLUICE_BODY_TIMEOUT"), "--body-timeout", noting: &httpOnly)
        Self.set(&http.timeouts.responseWrite, try fallback.seconds(timeouts.writeTimeout, "SLUICE_WRITE_TIMEOUT"), "--write-timeout", noting: &httpOnly)
        Self.set(&fastCGI.limits.readTimeout, try fallback.seconds(timeouts.readTimeout, "SLUICE_READ_TIMEOUT"), "--read-timeout", noting: &fastCGIOnly)
        if let grace = try fallback.seconds(timeouts.bodyRateGrace, "SLUICE_BODY_RATE_GRACE") {
            fastCGI.limits.minBodyRate?.grace = grace
            fastCGIOnly.append("--body-rate-grace")
        }
        if let grace = try fallback.seconds(timeouts.shutdownGrace, "SLUICE_SHUTDOWN_GRACE") {
            http.shutdownGracePeriod = grace
            fastCGI.shutdownGracePeriod = grace
        }

        let operation = options.operation
        if let timeout = try fallback.seconds(operation.requestTimeout, "SLUICE_REQUEST_TIMEOUT") {
            http.timeouts.request = timeout
            fastCGI.requestTimeout = timeout
        }
        if let requests = try fallback.positive(operation.maxRequests, "SLUICE_MAX_REQUESTS") {
            fastCGI.maxRequests = requests
            fastCGIOnly.append("--max-requests")
        }
        if let jitter = try fallback.value(operation.maxRequestsJitter, "SLUICE_MAX_REQUESTS_JITTER") {
            guard jitter >= 0 else { throw ValidationError("--max-requests-jitter (SLUICE_MAX_REQUESTS_JITTER) must be 0 or more, not \(jitter)") }
            fastCGI.maxRequestsJitter = jitter
            fastCGIOnly.append("--max-requests-jitter")
        }

        logFormat = try fallback.value(options.logging.logFormat, "SLUICE_LOG_FORMAT") ?? .human
        if let level = try fallback.value(options.logging.logLevel, "SLUICE_LOG_LEVEL") {
            logLevel = Logger.Level(rawValue: level.rawValue) ?? .info
        }
        try readOperations(options.operations, fallback)
    }

    /// The access log (its default follows the log format), the request id's field, and the
    /// trusted proxies: a list that does not parse is an error, never a silent "trust none".
    private mutating func readOperations(_ options: OperationsOptions, _ fallback: EnvironmentFallback) throws {
        switch try fallback.value(options.accessLog, "SLUICE_ACCESS_LOG") {
        case .common: operations.accessLog = .common
        case .combined: operations.accessLog = .combined
        case .json: operations.accessLog = .json
        case .off: operations.accessLog = nil
        case nil: operations.accessLog = logFormat == .json ? .json : .combined
        }
        if let header = try fallback.value(options.requestIDHeader, "SLUICE_REQUEST_ID_HEADER") {
            guard header.utf8.allSatisfy(\.isTokenCharacter) else {
                throw ValidationError("--request-id-header (SLUICE_REQUEST_ID_HEADER): \"\(header)\" is not a field name")
            }
            operations.requestIDHeader = header.isEmpty ? nil : header
        }
        let hops = try fallback.positive(options.proxyHops, "SLUICE_PROXY_HOPS") ?? 1
        if let list = try fallback.value(options.trustedProxies, "SLUICE_TRUSTED_PROXIES"), !list.isEmpty {
            guard let proxies = TrustedProxies(parsing: list, hops: hops) else {
                throw ValidationError(
                    "--trusted-proxies (SLUICE_TRUSTED_PROXIES): \"\(list)\" is not a list of addresses and networks such as 127.0.0.1,10.0.0.0/8")
            }
            operations.trustedProxies = proxies
        }
    }

    /// The TLS files and HTTP/2 settings: a certificate and a key together or neither.
    private mutating func readSecurity(_ options: SecurityOptions, _ fallback: EnvironmentFallback) throws {
        let certificate = try fallback.value(options.tlsCertificate, "SLUICE_TLS_CERTIFICATE")
        let key = try fallback.value(options.tlsKey, "SLUICE_TLS_KEY")
        let authorities = try fallback.value(options.tlsClientCa, "SLUICE_TLS_CLIENT_CA")
        let verification = try fallback.value(options.tlsClientVerify, "SLUICE_TLS_CLIENT_VERIFY")
        if let certificate, let key {
            var tls = HTTPServerConfiguration.TLS(certificatePath: certificate, privateKeyPath: key)
            if let authorities {
                tls.clientCertificates =
                    verification == .optional
                    ? .optional(trustedAuthorities: authorities) : .required(trustedAuthorities: authorities)
            } else if verification != nil {
                throw ValidationError("--tls-client-verify (SLUICE_TLS_CLIENT_VERIFY) needs --tls-client-ca (SLUICE_TLS_CLIENT_CA)")
            }
            http.tls = tls
            httpOnly.append("--tls-certificate")
        } else if certificate != nil || key != nil || authorities != nil || verification != nil {
            throw ValidationError("--tls-certificate and --tls-key (SLUICE_TLS_CERTIFICATE, SLUICE_TLS_KEY) go together")
        }
        if let cleartext = try fallback.value(options.h2c, "SLUICE_H2C") {
            http.http2.cleartext = cleartext
            httpOnly.append("--h2c")
        }
        Self.set(
            &http.http2.maxConcurrentStreams, try fallback.positive(options.maxConcurrentStreams, "SLUICE_MAX_CONCURRENT_STREAMS"),
            "--max-concurrent-streams", noting: &httpOnly
        )
    }

    /// Sets one adapter's field when the setting was given, noting the flag as that adapter's.
    private static func set<Value>(_ field: inout Value, _ value: Value?, _ flag: String, noting list: inout [String]) {
        guard let value else { return }
        field = value
        list.append(flag)
    }

    /// At most one of `--http`, `--fastcgi` and `--systemd`; the flags, when any is given,
    /// are considered before the variables.
    private static func requestedMode(_ mode: ModeOptions, _ fallback: EnvironmentFallback) throws -> RequestedMode? {
        let flags = try requestedModes(http: mode.http, fastCGI: mode.fastcgi, systemd: mode.systemd)
        if let flag = flags { return flag }
        return try requestedModes(
            http: fallback.value(nil as String?, "SLUICE_HTTP"),
            fastCGI: fallback.value(nil as String?, "SLUICE_FASTCGI"),
            systemd: fallback.value(nil as SystemdProtocol?, "SLUICE_SYSTEMD")
        )
    }

    private static func requestedModes(http: String?, fastCGI: String?, systemd: SystemdProtocol?) throws -> RequestedMode? {
        var modes: [RequestedMode] = []
        if let http {
            guard let address = HTTPListenAddress(parsing: http) else {
                throw ValidationError("--http (SLUICE_HTTP): \"\(http)\" is not HOST:PORT, :PORT, PORT or a socket path")
            }
            modes.append(.http(address))
        }
        if let fastCGI {
            guard let address = FastCGIListenAddress(parsing: fastCGI) else {
                throw ValidationError("--fastcgi (SLUICE_FASTCGI): \"\(fastCGI)\" is not HOST:PORT, :PORT, a socket path, fd:0 or systemd")
            }
            modes.append(.fastCGI(address))
        }
        if let systemd { modes.append(.systemd(systemd)) }
        guard modes.count <= 1 else { throw ValidationError("choose one of --http, --fastcgi and --systemd (or SLUICE_HTTP, SLUICE_FASTCGI, SLUICE_SYSTEMD)") }
        return modes.first
    }

    /// Logs, once, the settings the chosen adapter does not use: a typo-sized mistake that
    /// should not stop the server.
    func warnAboutUnusedSettings(in mode: ServeMode, logger: Logger) {
        let unused =
            switch mode {
            case .http: fastCGIOnly
            case .fastCGI: httpOnly
            }
        for flag in unused {
            logger.warning("\(flag) does not apply to \(mode.protocolName): ignored")
        }
        if systemdSocketName != nil, !mode.servesSystemdSockets {
            logger.warning("--listen-fd-name applies to sockets systemd passes, and this process serves none: ignored")
        }
    }
}

extension ServeMode {
    /// "HTTP" or "FastCGI", for messages.
    var protocolName: String {
        switch self {
        case .http: "HTTP"
        case .fastCGI: "FastCGI"
        }
    }
}
