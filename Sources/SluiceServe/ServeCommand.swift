// The command line serve(_:) understands, grouped the way --help shows it.

import ArgumentParser

/// Every flag of a served application. Each is optional here: a missing flag falls back to its
/// environment variable, then to the adapter's default (``ServeSettings``).
struct ServeCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "app") },
            abstract: "A Sluice web application: one binary for CGI, FastCGI and standalone HTTP.",
            discussion: """
                With no flags it serves HTTP on 127.0.0.1:8080. Under CGI (REQUEST_METHOD or another CGI variable set) it \
                answers one request and ignores the command line. Started by a FastCGI server \
                (a listening socket on descriptor 0) it is a FastCGI responder. Under systemd socket \
                activation (LISTEN_FDS) it serves the passed sockets, as HTTP unless --systemd fastcgi \
                (--listen-fd-name picks them by name).

                Every flag has an environment variable, shown in brackets: the flag wins over the \
                variable, the variable over the default. SIGTERM or SIGINT stops it gracefully.
                See Docs/running.md.
                """
        )
    }

    @OptionGroup(title: "Mode")
    var mode: ModeOptions
    @OptionGroup(title: "Listening")
    var listening: ListeningOptions
    @OptionGroup(title: "TLS and HTTP/2")
    var security: SecurityOptions
    @OptionGroup(title: "Limits")
    var limits: LimitOptions
    @OptionGroup(title: "Timeouts (seconds)")
    var timeouts: TimeoutOptions
    @OptionGroup(title: "Logging")
    var logging: LoggingOptions
    @OptionGroup(title: "Operation")
    var operation: OperationOptions
    @OptionGroup(title: "Access log, request ids and proxies")
    var operations: OperationsOptions
}

/// Which protocol to serve, and where.
struct ModeOptions: ParsableArguments {
    @Option(
        help: help(
            "Serve HTTP/1.1 (and HTTP/2 with TLS or --h2c) on ADDRESS: HOST:PORT, [IPv6]:PORT, :PORT (every interface), PORT (127.0.0.1) or a unix socket path.",
            "SLUICE_HTTP", "address"))
    var http: String?

    @Option(help: help("Serve FastCGI on ADDRESS: HOST:PORT, :PORT, a unix socket path, fd:0 (inherited socket) or systemd.", "SLUICE_FASTCGI", "address"))
    var fastcgi: String?

    @Option(help: help("The protocol on the socket systemd passes (LISTEN_FDS): http or fastcgi. Default http.", "SLUICE_SYSTEMD", "protocol"))
    var systemd: SystemdProtocol?

    @Option(
        help: help(
            "Under socket activation, serve only the sockets named NAME in LISTEN_FDNAMES (FileDescriptorName=). Default: every passed socket (HTTP), the first (FastCGI).",
            "SLUICE_LISTEN_FD_NAME", "name"))
    var listenFdName: String?
}

/// How the listening socket and the workers are set up.
struct ListeningOptions: ParsableArguments {
    @Option(help: help("The path prefix the application is mounted at, such as /app (default: the root).", "SLUICE_MOUNT", "path"))
    var mount: String?

    @Option(help: help("FastCGI: requests served at once per process, one thread each (default 32).", "SLUICE_WORKERS", "n"))
    var workers: Int?

    @Option(help: help("FastCGI: worker processes sharing the socket, forked at start (default 1).", "SLUICE_PROCESSES", "n"))
    var processes: Int?

    @Option(help: help("FastCGI: permissions of a unix socket it creates, octal (default 660).", "SLUICE_SOCKET_MODE", "mode"))
    var socketMode: String?

    @Option(help: help("HTTP: the Server header; empty sends none (default Sluice).", "SLUICE_SERVER_HEADER", "value"))
    var serverHeader: String?
}

/// TLS and HTTP/2 for the HTTP server.
struct SecurityOptions: ParsableArguments {
    @Option(help: help("HTTP: serve TLS 1.2/1.3 with this PEM certificate chain (needs --tls-key); SIGHUP rereads it.", "SLUICE_TLS_CERTIFICATE", "file"))
    var tlsCertificate: String?

    @Option(help: help("HTTP: the PEM private key of --tls-certificate.", "SLUICE_TLS_KEY", "file"))
    var tlsKey: String?

    @Option(help: help("HTTP: ask TLS clients for certificates issued by the PEM certificates in this file.", "SLUICE_TLS_CLIENT_CA", "file"))
    var tlsClientCa: String?

    @Option(help: help("HTTP: with --tls-client-ca, required (the default) or optional.", "SLUICE_TLS_CLIENT_VERIFY", "mode"))
    var tlsClientVerify: ClientVerification?

    @Flag(
        inversion: .prefixedNo,
        help: help("HTTP: also serve cleartext HTTP/2 to clients that open with its preface (h2c by prior knowledge).", "SLUICE_H2C", "true|false"))
    var h2c: Bool?

    @Option(help: help("HTTP/2: streams a client may have open at once per connection (default 100).", "SLUICE_MAX_CONCURRENT_STREAMS", "n"))
    var maxConcurrentStreams: Int?
}

/// Whether TLS clients must show a certificate.
enum ClientVerification: String, CaseIterable, ExpressibleByArgument {
    case required
    case optional
}

/// The most a client (or front server) may send.
struct LimitOptions: ParsableArguments {
    @Option(help: help("Largest request body; 413 beyond (HTTP 16 MiB, FastCGI and CGI 1 GiB).", "SLUICE_MAX_BODY_BYTES", "bytes"))
    var maxBodyBytes: Int?

    @Option(help: help("HTTP: longest request-target; 414 beyond (default 8192).", "SLUICE_MAX_TARGET_BYTES", "bytes"))
    var maxTargetBytes: Int?

    @Option(help: help("HTTP: most bytes of header fields; 431 beyond (default 65536).", "SLUICE_MAX_HEADER_BYTES", "bytes"))
    var maxHeaderBytes: Int?

    @Option(help: help("HTTP: most header fields; 431 beyond (default 100).", "SLUICE_MAX_HEADER_COUNT", "n"))
    var maxHeaderCount: Int?

    @Option(help: help("FastCGI: largest params block; 431 beyond (default 131072).", "SLUICE_MAX_PARAMS_BYTES", "bytes"))
    var maxParamsBytes: Int?

    @Option(
        help: help("FastCGI: slowest request body once --body-rate-grace is over, bytes a second; 0 for none (default 500).", "SLUICE_MIN_BODY_RATE", "bytes"))
    var minBodyRate: Int?
}

/// How long a client (or front server) may keep the server waiting.
struct TimeoutOptions: ParsableArguments {
    @Option(help: help("HTTP: close a kept-alive connection idle this long (default 30).", "SLUICE_IDLE_TIMEOUT", "seconds"))
    var idleTimeout: Double?

    @Option(help: help("HTTP: time to send a request line and header block; 408 after (default 10).", "SLUICE_HEAD_TIMEOUT", "seconds"))
    var headTimeout: Double?

    @Option(help: help("HTTP: longest wait for the next request-body bytes; 408 after (default 30).", "SLUICE_BODY_TIMEOUT", "seconds"))
    var bodyTimeout: Double?

    @Option(help: help("HTTP: longest wait on a client that does not read the response (default 30).", "SLUICE_WRITE_TIMEOUT", "seconds"))
    var writeTimeout: Double?

    @Option(help: help("FastCGI: longest wait for the front server on a connection (default 90).", "SLUICE_READ_TIMEOUT", "seconds"))
    var readTimeout: Double?

    @Option(help: help("FastCGI: time a request body may take before --min-body-rate counts (default 20).", "SLUICE_BODY_RATE_GRACE", "seconds"))
    var bodyRateGrace: Double?

    @Option(help: help("Time in-flight requests get after SIGTERM or SIGINT; a second signal cuts it short (default 10).", "SLUICE_SHUTDOWN_GRACE", "seconds"))
    var shutdownGrace: Double?
}

/// Where log lines go and what they look like.
struct LoggingOptions: ParsableArguments {
    @Option(help: help("human (time level message key=value) or json, one object a line, on standard error (default human).", "SLUICE_LOG_FORMAT", "format"))
    var logFormat: LogFormat?

    @Option(help: help("The least severe level logged: trace, debug, info, notice, warning, error, critical (default info).", "SLUICE_LOG_LEVEL", "level"))
    var logLevel: LogLevel?
}

/// The access log, request ids and the proxies to believe.
struct OperationsOptions: ParsableArguments {
    @Option(
        help: help(
            "One line per request on standard error: common, combined, json or off (default combined; json with --log-format json).", "SLUICE_ACCESS_LOG",
            "format"))
    var accessLog: AccessLogSetting?

    @Option(
        help: help(
            "The field a request id is taken from, made for and returned in; empty turns ids off (default X-Request-ID).", "SLUICE_REQUEST_ID_HEADER", "name"))
    var requestIDHeader: String?

    @Option(
        help: help(
            "Proxies whose Forwarded and X-Forwarded-* fields are believed: addresses and networks, comma-separated, such as 127.0.0.1,10.0.0.0/8 (default none).",
            "SLUICE_TRUSTED_PROXIES", "list"))
    var trustedProxies: String?

    @Option(help: help("How many trusted proxies may stand in a row before the server (default 1).", "SLUICE_PROXY_HOPS", "n"))
    var proxyHops: Int?
}

/// `--access-log`: a format, or off.
enum AccessLogSetting: String, CaseIterable, ExpressibleByArgument {
    case common, combined, json, off
}

/// A flag's help: what it does, then its environment variable; `value` names its value.
func help(_ text: String, _ variable: String, _ value: String) -> ArgumentHelp {
    ArgumentHelp("\(text) [\(variable)]", valueName: value)
}

/// The protocols a systemd-passed socket can carry.
enum SystemdProtocol: String, CaseIterable, ExpressibleByArgument {
    case http
    case fastcgi
}

/// `--log-format human|json`: the handler's formats, as the command line names them.
enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    case human
    case json

    /// The format the log handler writes.
    var handlerFormat: StandardErrorLogHandler.Format {
        switch self {
        case .human: .human
        case .json: .json
        }
    }
}

/// swift-log's levels, by name.
enum LogLevel: String, CaseIterable, ExpressibleByArgument {
    case trace, debug, info, notice, warning, error, critical
}
