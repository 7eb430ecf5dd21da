// serve(app) started by a CGI host that sets no GATEWAY_INTERFACE: it answers the request as
// CGI and never listens (Spec CGI-13).

import Foundation
import IntegrationSupport
import Testing

@Suite("serve(_:) recognises CGI")
struct CGIRecognitionTests {
    /// What h2o's CGI bridge sets for `GET /app.cgi/there` (Docs/server-matrix.md §5): no GATEWAY_INTERFACE.
    static let h2oEnvironment = [
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "/app.cgi", "PATH_INFO": "/there", "REQUEST_URI": "/app.cgi/there",
        "QUERY_STRING": "", "SERVER_NAME": "default", "SERVER_PORT": "8080", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "PATH": "/usr/bin:/bin",
    ]

    @Test("[CGI-13] started with h2o's CGI variables and no GATEWAY_INTERFACE, hello answers the request and exits instead of listening")
    func withoutGatewayInterface() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try HelloProcessTests.hello())
        process.environment = Self.h2oEnvironment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // A program that took itself for a standalone server would listen until stopped.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 20, execute: watchdog)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        watchdog.cancel()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        #expect(text.hasPrefix("Status: 200 OK\r\n"))
        #expect(text.hasSuffix("Hello from /app.cgi/there\n"))
    }

    @Test("[CGI-13] behind h2o's CGI handler, which sets no GATEWAY_INTERFACE, serve(app) answers as CGI", .requires(.h2o, .curl))
    func behindH2O() async throws {
        let directory = try TemporaryDirectory(label: "serve-h2o-cgi")
        let server = try await H2OCGIHost.start(program: URL(fileURLWithPath: try HelloProcessTests.hello()), in: directory)
        defer { server.stop() }
        let response = try await Curl.fetch(CurlRequest(server.url("/there?x=1"), maxTime: .seconds(20)))
        #expect(response.status == 200, "\(server.logReport())")
        #expect(response.text == "Hello from /app.cgi/there\n")
    }
}
