// Reading a configuration from command-line options, so one binary fits every deployment.

extension FastCGIConfiguration {
    /// The options ``init(arguments:)`` understands, for a usage message.
    public static let argumentsUsage = """
        --listen ADDRESS     127.0.0.1:9000, /run/app.sock, fd:0, systemd or auto (default auto)
        --socket-mode MODE   permissions of a unix socket it creates, octal (default 660)
        --mount PATH         the prefix the front server mounts the application at (default: the root)
        --workers N          requests served at once per process (default 32; more than the front
                             server's kept connections: nginx keepalive × worker_processes)
        --processes N        worker processes sharing the socket (default 1)
        --max-body BYTES     largest request body (default 1073741824)
        --max-params BYTES   largest params block (default 131072)
        --read-timeout SECS  longest wait for the front server on a connection (default 90)
        --grace SECS         how long requests may finish after SIGTERM (default 30)
        """

    /// Reads options (``argumentsUsage``) such as `["--listen", "/run/app.sock", "--workers", "64"]`,
    /// starting from the defaults.
    ///
    /// - Throws: ``FastCGIArgumentError`` naming the option that is unknown or has a bad value.
    public init(arguments: some Sequence<String>) throws(FastCGIArgumentError) {
        self.init()
        var remaining = Array(arguments)[...]
        while let option = remaining.popFirst() {
            guard let value = remaining.popFirst() else { throw .missingValue(option) }
            switch option {
            case "--listen":
                guard let listener = Listener(parsing: value) else { throw .invalidValue(option, value) }
                self.listener = listener
            case "--socket-mode":
                guard let mode = UInt32(value, radix: 8), mode <= 0o777 else { throw .invalidValue(option, value) }
                socketMode = mode
            case "--mount": mountPath = value
            case "--workers": workerCount = try Self.positive(option, value)
            case "--processes": processCount = try Self.positive(option, value)
            case "--max-body": limits.maximumBodyLength = try Self.positive(option, value)
            case "--max-params": limits.maximumParamsLength = try Self.positive(option, value)
            case "--read-timeout": limits.readTimeout = .seconds(try Self.positive(option, value))
            case "--grace": shutdownGracePeriod = .seconds(try Self.positive(option, value))
            default: throw .unknownOption(option)
            }
        }
    }

    private static func positive(_ option: String, _ value: String) throws(FastCGIArgumentError) -> Int {
        guard let number = Int(value), number > 0 else { throw .invalidValue(option, value) }
        return number
    }
}

/// A command-line option ``FastCGIConfiguration/init(arguments:)`` could not use.
public enum FastCGIArgumentError: Error, Hashable, CustomStringConvertible {
    /// The option is not one of ``FastCGIConfiguration/argumentsUsage``.
    case unknownOption(String)
    /// The option is last, with no value after it.
    case missingValue(String)
    /// The option's value is not what it takes.
    case invalidValue(String, String)

    /// A sentence naming the option, followed by the usage.
    public var description: String {
        let problem = switch self {
        case let .unknownOption(option): "unknown option \(option)"
        case let .missingValue(option): "\(option) needs a value"
        case let .invalidValue(option, value): "\(option): invalid value \"\(value)\""
        }
        return problem + "\nOptions:\n" + FastCGIConfiguration.argumentsUsage
    }
}
