// RunningServer.swift — the handle a test holds on a started front server.
public import Foundation

/// A front server running for one test on 127.0.0.1, serving the program under test
/// at `mountPath`. Stopped by `stop()`, or at the latest when the handle goes away
/// (`deinit`); it keeps its temporary directory alive until then.
public final class RunningServer: Sendable {
    /// Which server this is.
    public let software: FrontServer
    /// The TCP port it listens on at 127.0.0.1.
    public let port: Int
    /// Where the program under test is mounted, such as `/app` (no trailing slash).
    public let mountPath: String
    /// The directory holding its config, logs, pid file and sockets.
    public let directory: TemporaryDirectory
    /// The rendered configuration file.
    public let configFile: URL
    /// The server process (the master process, whose group holds its workers).
    public let process: ManagedProcess

    /// Wraps a started server.
    public init(
        software: FrontServer, port: Int, mountPath: String,
        directory: TemporaryDirectory, configFile: URL, process: ManagedProcess
    ) {
        self.software = software
        self.port = port
        self.mountPath = mountPath
        self.directory = directory
        self.configFile = configFile
        self.process = process
    }

    deinit {
        process.stop()
    }

    /// `http://127.0.0.1:PORT`.
    public var origin: String {
        "http://127.0.0.1:\(port)"
    }

    /// `http://127.0.0.1:PORT/app`: the program under test.
    public var baseURL: String {
        origin + mountPath
    }

    /// `baseURL` followed by `pathAndQuery` as written, such as `"/x?y=1"`.
    public func url(_ pathAndQuery: String) -> String {
        baseURL + pathAndQuery
    }

    /// The server's log files: its error and access logs, then standard error and output.
    public var logs: LogFiles {
        process.logs
    }

    /// The config and the logs as failure-message text. Pass it as the comment of an
    /// expectation — `#expect(response.status == 200, "\(server.logReport())")` — where
    /// it is read only if the expectation fails.
    public func logReport() -> String {
        let config = (try? String(contentsOf: configFile, encoding: .utf8)) ?? "(unreadable)"
        return "\(software) on port \(port), config \(configFile.path):\n\(config)\n" + process.logReport()
    }

    /// Stops the server: SIGTERM to its pid, SIGKILL after 10 s, then anything left in
    /// its process group; waits until it has been reaped. Safe to call twice.
    public func stop() {
        process.stop()
    }
}
