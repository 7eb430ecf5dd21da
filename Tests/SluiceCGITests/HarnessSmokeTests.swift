// HarnessSmokeTests.swift — the integration harness against real servers: a shell CGI
// script behind Apache (mod_cgid) and lighttpd (mod_cgi), queried with the real curl.
import Foundation
import IntegrationSupport
import Testing

@Suite("Integration harness")
struct HarnessSmokeTests {
    /// A CGI program that answers with its own environment, one variable a line.
    static let environmentPrinter = """
        #!/bin/sh
        printf 'Status: 200 OK\\r\\nContent-Type: text/plain\\r\\n\\r\\n'
        env
        """

    @Test(.requires(.apache2, .curl))
    func apacheRunsTheProgramAtApp() async throws {
        try await checkRequestReachesProgram(through: ApacheCGIHost.self)
    }

    @Test(.requires(.lighttpd, .curl))
    func lighttpdRunsTheProgramAtApp() async throws {
        try await checkRequestReachesProgram(through: LighttpdCGIHost.self)
    }

    private func checkRequestReachesProgram<Host: CGIHost>(through host: Host.Type) async throws {
        let directory = try TemporaryDirectory()
        let program = try directory.write(Self.environmentPrinter, to: "env.cgi", mode: 0o755)
        let server = try await host.start(program: program, environment: ["SLUICE_MARK": #"a "b""#], in: directory)

        let response = try await Curl.fetch(server.url("/x?y=1"))
        let variables = Set(response.text.split(separator: "\n").map(String.init))
        #expect(response.status == 200, "\(server.logReport())")
        #expect(response.value(of: "content-type")?.hasPrefix("text/plain") == true)
        #expect(variables.contains("SCRIPT_NAME=/app"), "\(response.text)")
        #expect(variables.contains("PATH_INFO=/x"), "\(response.text)")
        #expect(variables.contains("QUERY_STRING=y=1"), "\(response.text)")
        #expect(variables.contains(#"SLUICE_MARK=a "b""#), "\(response.text)")

        let raw = try await RawSocket.exchange("GET /app/raw HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", port: server.port)
        #expect(raw.text.hasPrefix("HTTP/1."), "\(raw.text)")
        #expect(raw.ending == .closedByServer)

        server.stop()
        // Reaped, and nothing left alive in its process group (workers, mod_cgid's daemon, CGIs).
        #expect(!server.process.isRunning)
        #expect(server.process.exitStatus != nil)
        #expect(server.process.survivingGroupMembers.isEmpty)
    }
}
