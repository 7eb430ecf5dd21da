// The FastCGIBattery responder, started for one test on a unix socket in a temporary directory.

import Foundation
import IntegrationSupport

/// A running FastCGIBattery, stopped (SIGTERM, then SIGKILL) when the test lets go of it.
final class Battery: Sendable {
    let directory: TemporaryDirectory
    let process: ManagedProcess
    /// The unix socket it listens on, unless it listens on ``tcpPort``.
    let socketPath: String
    /// The port of 127.0.0.1 it listens on instead of ``socketPath``.
    let tcpPort: Int?

    /// The battery's path: built beside the test bundle (`swift build --build-tests`).
    static var executablePath: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("FastCGIBattery").path
    }

    /// Starts it (or the program at `executable`) with `--fastcgi SOCKET --mount /app` (or
    /// `--fastcgi 127.0.0.1:PORT` with `overTCP`) and `arguments`, and waits for its socket.
    init(_ arguments: [String] = [], executable: String = Battery.executablePath, overTCP: Bool = false) async throws {
        directory = try TemporaryDirectory()
        socketPath = directory.appending("app.sock").path
        tcpPort = overTCP ? try LoopbackPort.unused() : nil
        let address = tcpPort.map { ["--fastcgi", "127.0.0.1:\($0)"] } ?? ["--fastcgi", socketPath, "--socket-mode", "666"]
        process = try ManagedProcess(
            name: "battery", executable: executable, arguments: address + ["--mount", "/app"] + arguments, workingDirectory: directory.url
        )
        if let tcpPort {
            try await process.waitForPort(port: tcpPort)
        } else {
            try await process.waitForUnixSocket(path: socketPath)
        }
    }

    /// Sends one request on a new connection and reads the reply.
    func exchange(_ bytes: [UInt8], timeout: Duration = .seconds(10)) async throws -> FastCGIReply {
        try await withConnection { client in
            client.send(bytes)
            return client.reply(timeout: timeout)
        }
    }

    /// Runs `body` with a new connection, on a thread of its own: the client blocks.
    func withConnection<Result: Sendable>(_ body: @escaping @Sendable (FastCGIClient) throws -> Result) async throws -> Result {
        let (path, port) = (socketPath, tcpPort)
        return try await onOwnThread { try body(try port.map { try FastCGIClient(port: $0) } ?? FastCGIClient(path: path)) }
    }

    /// GETs `target` (below /app) and returns the reply.
    func get(_ target: String) async throws -> FastCGIReply {
        try await exchange(FastCGIRecord.request(FastCGIRecord.params("GET", target)))
    }

    /// What the process wrote to standard error so far.
    var standardError: String {
        (try? String(contentsOf: process.standardErrorLog, encoding: .utf8)) ?? ""
    }
}
