// An application whose startup() throws, served through serve(_:): the probe's --fail-startup.

import Foundation
import IntegrationSupport
import Testing

@Suite("serve(_:) start-up failure")
struct StartupFailureTests {
    @Test("[LIFE-1] a startup() that throws ends an HTTP server with exit status 1 before it serves")
    func http() async throws {
        let directory = try TemporaryDirectory(label: "serve-startup")
        let probe = try HelloProcessTests.hello().replacingOccurrences(of: "/hello", with: "/probe")
        let port = try LoopbackPort.unused()
        let server = try ManagedProcess(
            executable: probe, arguments: ["--fail-startup", "--http", "127.0.0.1:\(port)"], workingDirectory: directory.url
        )
        #expect(try await server.waitForExit(timeout: .seconds(15)) == .exited(code: 1))
    }

    @Test("[LIFE-1] a startup() that throws ends a FastCGI responder with exit status 1")
    func fastCGI() async throws {
        let directory = try TemporaryDirectory(label: "serve-startup-fcgi")
        let probe = try HelloProcessTests.hello().replacingOccurrences(of: "/hello", with: "/probe")
        let server = try ManagedProcess(
            executable: probe, arguments: ["--fail-startup", "--fastcgi", directory.appending("app.sock").path], workingDirectory: directory.url
        )
        #expect(try await server.waitForExit(timeout: .seconds(15)) == .exited(code: 1))
    }

    @Test("[LIFE-1] a startup() that throws in prefork workers ends the supervisor with exit status 1, not restarts forever")
    func prefork() async throws {
        let directory = try TemporaryDirectory(label: "serve-startup-prefork")
        let probe = try HelloProcessTests.hello().replacingOccurrences(of: "/hello", with: "/probe")
        let server = try ManagedProcess(
            executable: probe,
            arguments: ["--fail-startup", "--fastcgi", directory.appending("app.sock").path, "--processes", "3"],
            workingDirectory: directory.url
        )
        #expect(try await server.waitForExit(timeout: .seconds(15)) == .exited(code: 1))
        let log = (try? String(contentsOf: server.standardErrorLog, encoding: .utf8)) ?? ""
        #expect(log.contains("could not start the application: stopping"))
        #expect(!log.contains("starting another"))
    }

    @Test("[LIFE-1] with --max-requests the one worker process is supervised too: a failed start-up ends it with 1")
    func recycledWorker() async throws {
        let directory = try TemporaryDirectory(label: "serve-startup-recycled")
        let probe = try HelloProcessTests.hello().replacingOccurrences(of: "/hello", with: "/probe")
        let server = try ManagedProcess(
            executable: probe,
            arguments: ["--fail-startup", "--fastcgi", directory.appending("app.sock").path, "--max-requests", "10"],
            workingDirectory: directory.url
        )
        #expect(try await server.waitForExit(timeout: .seconds(15)) == .exited(code: 1))
    }
}
