// StandaloneHTTPServer.swift — a serve(app) program answering HTTP itself on 127.0.0.1, with
// no front server, started for one test and stopped by pid.
import Foundation

/// A program built on `serve(app)` (such as `probe`) started with `--http 127.0.0.1:PORT`
/// on a free port, stopped by SIGTERM to its pid.
public final class StandaloneHTTPServer: HostedApplication {
    /// The program's process.
    public let process: ManagedProcess
    /// The port it listens on at 127.0.0.1.
    public let port: Int
    /// The prefix it was given with `--mount`, or `""`.
    public let mountPath: String
    /// Its working directory, which holds its logs.
    public let directory: TemporaryDirectory

    private init(process: ManagedProcess, port: Int, mountPath: String, directory: TemporaryDirectory) {
        self.process = process
        self.port = port
        self.mountPath = mountPath
        self.directory = directory
    }

    deinit {
        stop()
    }

    /// How many ports to try when the chosen one is taken before the program binds it.
    private static let attempts = 3

    /// Starts `executable` with `--http 127.0.0.1:PORT`, `--mount mountPath` (unless it is
    /// `""`) and `arguments`, and waits until it listens; on a new port when another
    /// process took the first one.
    public static func start(
        executable: String, arguments: [String] = [], mountPath: String = "", in directory: TemporaryDirectory
    ) async throws -> StandaloneHTTPServer {
        let mount = mountPath.isEmpty ? [] : ["--mount", mountPath]
        for attempt in 1...attempts {
            let port = try LoopbackPort.unused()
            let process = try ManagedProcess(
                name: URL(fileURLWithPath: executable).lastPathComponent, executable: executable,
                arguments: ["--http", "127.0.0.1:\(port)"] + mount + arguments, workingDirectory: directory.url
            )
            do {
                // Generous: a freshly linked debug build starts slowly on a loaded machine.
                try await process.waitForPort(port: port, timeout: .seconds(60))
                return StandaloneHTTPServer(process: process, port: port, mountPath: mountPath, directory: directory)
            } catch {
                process.stop()
                if process.logs.report().contains("Address already in use") && attempt < attempts {
                    continue
                }
                throw error
            }
        }
        throw HarnessError("\(executable): no free port after \(attempts) attempts")
    }

    /// The program's standard error and output.
    public func logReport() -> String {
        process.logReport()
    }

    /// Stops the program: SIGTERM, SIGKILL after 10 s. Safe to call twice.
    public func stop() {
        process.stop()
    }
}
