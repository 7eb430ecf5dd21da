// ServerLaunch.swift — render a config, start a server in the foreground, wait until
// it listens; again on a new port if another process took the first one.
import Foundation

/// How to start one kind of front server from a config template. Each launcher
/// (`ApacheCGIHost`, `LighttpdCGIHost`) fills one in.
struct ServerLaunch {
    /// Which server to run.
    var software: FrontServer
    /// The config template; `@PORT@` and `@DIR@` are supplied here, the rest by `values`.
    var template: ConfigTemplate
    /// The other placeholder values.
    var values: [String: String]
    /// The config file's name inside the directory.
    var configFileName: String
    /// The server's arguments, given the config file's path: foreground mode, config.
    var arguments: (String) -> [String]
    /// Log files the server writes, by name inside the directory: created empty and
    /// owned by the worker user first (lighttpd opens them after dropping root).
    var logFileNames: [String]
    /// Where the program under test is mounted.
    var mountPath: String

    /// How many ports to try when the chosen one is taken before the server binds it.
    private static let attempts = 3

    /// Starts the server in `directory` and waits until it listens.
    func start(in directory: TemporaryDirectory) async throws -> RunningServer {
        guard let executable = software.executablePath else {
            throw HarnessError("cannot start \(software): \(FrontServer.reasonUnavailable([software]) ?? "not installed")")
        }
        let worker = try WorkerUser.lookUp()
        let configFile = directory.appending(configFileName)
        let logFiles = logFileNames.map(directory.appending)
        for attempt in 1...Self.attempts {
            let port = try LoopbackPort.unused()
            var values = values
            values["PORT"] = String(port)
            values["DIR"] = directory.path
            try template.render(with: values, to: configFile)
            for log in logFiles {
                try worker.createFile(at: log)
            }
            let process = try ManagedProcess(
                name: software.executableName,
                executable: executable,
                arguments: arguments(configFile.path),
                workingDirectory: directory.url,
                otherLogs: logFiles
            )
            do {
                try await process.waitForPort(port: port)
                return RunningServer(
                    software: software, port: port, mountPath: mountPath,
                    directory: directory, configFile: configFile, process: process
                )
            } catch {
                process.stop()
                let lostThePort = process.logs.report().contains("Address already in use")
                if lostThePort && attempt < Self.attempts {
                    continue
                }
                throw error
            }
        }
        throw HarnessError("\(software): no free port after \(Self.attempts) attempts")
    }
}
