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
}
