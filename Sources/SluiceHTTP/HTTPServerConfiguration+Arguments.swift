// Reading a configuration from command-line flags, for programs that serve one application.

extension HTTPServerConfiguration {
    /// A command-line flag that is unknown, lacks its value, or has a value out of range.
    public struct ArgumentError: Error, CustomStringConvertible {
        /// What is wrong, naming the flag.
        public var description: String
    }

    /// The flags ``init(arguments:)`` understands, for a program's usage message.
    public static let usage = """
        --host HOST                listen on HOST (IPv4 or IPv6; default 127.0.0.1)
        --port PORT                listen on PORT (default 8080; 0 picks a free port)
        --unix-socket PATH         listen on a unix domain socket instead
        --systemd                  use the socket systemd passes (LISTEN_FDS, fd 3)
        --max-target-bytes N       longest request-target (default 8192; 414 beyond)
        --max-header-bytes N       most header bytes (default 65536; 431 beyond)
        --max-header-count N       most header fields (default 100; 431 beyond)
        --max-body-bytes N         largest request body (default 16777216; 413 beyond)
        --idle-timeout SECONDS     close idle kept-alive connections (default 30)
        --head-timeout SECONDS     time to send a request head (default 10; 408)
        --body-timeout SECONDS     time between request-body bytes (default 30; 408)
        --write-timeout SECONDS    time one response write may wait on the client (default 30)
        --shutdown-grace SECONDS   time in-flight requests get on shutdown (default 10)
        --server-header VALUE      the Server header ("" sends none; default Sluice)
        """

    /// Reads flags (see ``usage``) over the defaults; `arguments` excludes the program name.
    public init(arguments: [String]) throws {
        self.init()
        var host = "127.0.0.1"
        var port = 8080
        var remaining = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let value = remaining.popFirst() else { throw ArgumentError(description: "\(flag) needs a value") }
            return value
        }
        func number(_ flag: String) throws -> Int {
            guard let number = Int(try value(flag)), number >= 0 else {
                throw ArgumentError(description: "\(flag) needs a whole number")
            }
            return number
        }
        func seconds(_ flag: String) throws -> Duration {
            guard let seconds = Double(try value(flag)), seconds > 0 else {
                throw ArgumentError(description: "\(flag) needs a positive number of seconds")
            }
            return .milliseconds(Int(seconds * 1000))
        }
        while let flag = remaining.popFirst() {
            switch flag {
            case "--host": host = try value(flag)
            case "--port":
                port = try number(flag)
                guard port <= 65535 else { throw ArgumentError(description: "--port must be at most 65535") }
            case "--unix-socket": address = .unixSocket(path: try value(flag))
            case "--systemd": address = .systemdSocket
            case "--max-target-bytes": limits.maxTargetBytes = try number(flag)
            case "--max-header-bytes": limits.maxHeaderBytes = try number(flag)
            case "--max-header-count": limits.maxHeaderCount = try number(flag)
            case "--max-body-bytes": limits.maxBodyBytes = try number(flag)
            case "--idle-timeout": timeouts.idle = try seconds(flag)
            case "--head-timeout": timeouts.requestHead = try seconds(flag)
            case "--body-timeout": timeouts.bodyRead = try seconds(flag)
            case "--write-timeout": timeouts.responseWrite = try seconds(flag)
            case "--shutdown-grace": shutdownGracePeriod = try seconds(flag)
            case "--server-header":
                let header = try value(flag)
                serverHeader = header.isEmpty ? nil : header
            default: throw ArgumentError(description: "unknown flag \(flag)")
            }
        }
        if case .tcp = address {
            address = .tcp(host: host, port: port)
        }
    }
}
