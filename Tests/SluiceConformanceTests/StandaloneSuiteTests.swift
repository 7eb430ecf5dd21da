// The whole suite in-process against the standalone HTTP adapter serving the probe below a
// mount: the way an adapter's own tests run the catalog (Docs/conformance-suite.md).

import Logging
import ServiceLifecycle
import Sluice
import SluiceConformance
import SluiceHTTP
import SluiceProbe
import Testing

@Suite("Conformance of the standalone HTTP adapter")
struct StandaloneSuiteTests {
    @Test("[REQ-14] [HTTP-1] [HTTP-2] [H2-1] the standalone HTTP adapter, serving h2c too, passes every case of the catalog, HTTP/2's included")
    func standalonePassesTheCatalog() async throws {
        let report = try await Self.serving(Mount(["/probe": Probe()])) { port in
            var target = ConformanceTarget(host: "127.0.0.1", port: port, mountPath: "/probe", serverName: "standalone")
            target.maxBodyBytes = 16 * 1024 * 1024
            // The server shares this test process with the other suites, which run at the same
            // time (a 64 MiB upload among them): its peak memory is not the server's alone.
            // ConformanceTests runs the catalog against a probe process of its own, and checks it.
            target.comparesMemory = false
            return await ConformanceSuite(target: target).run()
        }
        let failures = report.results.filter { $0.outcome == .fail }.map { "\($0.caseID): \($0.reason)" }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        let http2 = report.results.filter { $0.caseID.hasPrefix("h2-") }
        #expect(!http2.isEmpty && http2.allSatisfy { $0.outcome == .pass }, "\(http2.map { "\($0.caseID): \($0.outcome) \($0.reason)" })")
        #expect(report.results.first { $0.caseID == "body-large" }?.reason.contains("memory not compared") == true)
    }

    /// Serves `application` on an ephemeral 127.0.0.1 port while `body` runs.
    static func serving<Result: Sendable>(
        _ application: some Application, _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        var configuration = HTTPServerConfiguration(address: .tcp(host: "127.0.0.1", port: 0), shutdownGracePeriod: .seconds(5))
        configuration.http2.cleartext = true
        let quiet = Logger(label: "sluice.conformance.test") { _ in SwiftLogNoOpLogHandler() }
        let (ports, continuation) = AsyncStream<Int?>.makeStream()
        let server = HTTPServer(application: application, configuration: configuration, logger: quiet) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: server, successTerminationBehavior: .gracefullyShutdownGroup)], logger: quiet
            ))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var listening: Int?
            for await port in ports { listening = port }
            guard let port = listening else { throw ServerDidNotListen() }
            defer { tasks.cancelAll() }
            let result = try await body(port)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}

/// The server stopped before it listened.
struct ServerDidNotListen: Error {}
