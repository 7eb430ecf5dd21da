// Running an HTTPServer inside the test process, on a free port, for tests that watch the
// application itself (hooks, cancellation, shutdown).

import Logging
import ServiceLifecycle
import Sluice
import SluiceHTTP

/// A server on 127.0.0.1 running in this process while a test talks to it.
struct InProcessServer {
    /// The port it listens on.
    let port: Int

    /// `http://127.0.0.1:port` followed by `path`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Serves `application` while `body` runs, then shuts the server down gracefully and
    /// waits for it to stop.
    static func serving<Result: Sendable>(
        _ application: some Application,
        configure: (inout HTTPServerConfiguration) -> Void = { _ in },
        _ body: (InProcessServer, ServiceGroup) async throws -> Result
    ) async throws -> Result {
        var configuration = HTTPServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0), shutdownGracePeriod: .seconds(5))
        configure(&configuration)
        let quiet = Logger(label: "sluice.http.test") { _ in SwiftLogNoOpLogHandler() }
        let (ports, continuation) = AsyncStream<Int?>.makeStream()
        let server = HTTPServer(application: application, configuration: configuration, logger: quiet) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: server, successTerminationBehavior: .gracefullyShutdownGroup)], logger: quiet
            )
        )
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var listening: Int?
            for await port in ports {
                listening = port
            }
            guard let port = listening else {
                try await tasks.next()
                throw ServerDidNotListen()
            }
            do {
                let result = try await body(InProcessServer(port: port), group)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    /// Serves `application` while `body` runs.
    static func serving<Result: Sendable>(
        _ application: some Application,
        configure: (inout HTTPServerConfiguration) -> Void = { _ in },
        _ body: (InProcessServer) async throws -> Result
    ) async throws -> Result {
        try await serving(application, configure: configure) { server, _ in try await body(server) }
    }
}

/// The server stopped before it listened.
struct ServerDidNotListen: Error {}
