// CGIHost.swift — what every launcher of a front server running one CGI program offers.
public import Foundation

/// A front server configured to run one CGI program at `/app`: `/app/x?y=1` runs the
/// program with SCRIPT_NAME `/app`, PATH_INFO `/x` and QUERY_STRING `y=1`.
public protocol CGIHost: Sendable {
    /// The server this host runs, for `.requires(…)`.
    static var software: FrontServer { get }

    /// Renders the config into `directory`, starts the server in the foreground on
    /// 127.0.0.1 at a free port, and returns once it accepts connections.
    ///
    /// - Parameters:
    ///   - program: The CGI executable. The server's worker user (www-data when the
    ///     tests run as root) must be able to reach and execute it.
    ///   - environment: Extra variables the server passes to the program.
    ///   - maxBodyBytes: The server's request body limit: it answers 413 itself to a
    ///     request declaring more.
    ///   - directory: Holds the config, logs and runtime files.
    /// - Throws: `HarnessError` with the server's logs when it does not start.
    static func start(
        program: URL, environment: [String: String], maxBodyBytes: Int, in directory: TemporaryDirectory
    ) async throws -> RunningServer
}

extension CGIHost {
    /// The request body limit of `start(program:environment:in:)`: 100 MiB (the battery
    /// tests send 20 MiB; Debian's Apache default is 1 GiB on 2.4.54+, but older builds and
    /// distributions differ).
    public static var defaultMaxBodyBytes: Int {
        100 << 20
    }

    /// Starts the server with the default body limit; see
    /// `start(program:environment:maxBodyBytes:in:)`.
    public static func start(
        program: URL, environment: [String: String], in directory: TemporaryDirectory
    ) async throws -> RunningServer {
        try await start(program: program, environment: environment, maxBodyBytes: defaultMaxBodyBytes, in: directory)
    }

    /// Starts the server with no extra environment; see `start(program:environment:in:)`.
    public static func start(program: URL, in directory: TemporaryDirectory) async throws -> RunningServer {
        try await start(program: program, environment: [:], in: directory)
    }

    /// Starts the server in a new temporary directory, runs `body` with it, and stops
    /// it afterwards, also when `body` throws (whose error is rethrown after the
    /// server's logs are printed to standard error).
    public static func withServer<Result>(
        program: URL,
        environment: [String: String] = [:],
        isolation: isolated (any Actor)? = #isolation,
        _ body: (RunningServer) async throws -> Result
    ) async throws -> Result {
        let directory = try TemporaryDirectory()
        let server = try await start(program: program, environment: environment, in: directory)
        defer { server.stop() }
        do {
            return try await body(server)
        } catch {
            FileHandle.standardError.write(Data("\(software) test body threw \(error); server logs:\n\(server.logReport())\n".utf8))
            throw error
        }
    }
}

/// Checks what a CGI launcher needs before it writes a config: the worker user can run
/// `program`, and every name and value of `environment` can be written into the config.
func checkProgram(_ program: URL, environment: [String: String]) throws {
    try WorkerUser.lookUp().ensureCanExecute(program.path)
    for (name, value) in environment {
        let isName =
            name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        guard isName, !value.contains("\n"), !value.contains("\r") else {
            throw HarnessError("cannot pass \(name)=\(value) to a CGI program through a server config")
        }
    }
}

/// `value` as a double-quoted string for Apache and lighttpd configs.
func quotedForConfig(_ value: String) -> String {
    "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
