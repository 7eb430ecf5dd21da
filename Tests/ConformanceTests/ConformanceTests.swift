// ConformanceTests.swift — the conformance suite (Sources/SluiceConformance) against the probe
// served every way Sluice supports. Each test starts one deployment, runs every case in
// process, writes the report for Scripts/conformance-matrix, and fails on any case that
// neither passes, does not apply, nor is a deviation its Deviations/<name>.txt explains.

import Foundation
import IntegrationSupport
import SluiceConformance
import Testing

// Serialized: each test sends 64 MiB bodies and dozens of connections, and the CI machine has
// two cores; deployments side by side would measure each other's load, not the server.
@Suite("Conformance of every adapter behind every front server", .serialized, .timeLimit(.minutes(5)))
struct ConformanceTests {
    @Test("[HTTP-1] [HTTP-2] [HTTP-3] [REQ-14] conformance: the standalone HTTP server")
    func standaloneHTTP() async throws {
        try await check(.standaloneHTTP)
    }

    @Test("[CGI-3] [FCGI-1] [REQ-14] conformance: nginx FastCGI over TCP", .requires(.nginx))
    func nginxOverTCP() async throws {
        try await check(.nginxFastCGIOverTCP)
    }

    @Test("[CGI-3] [FCGI-1] [FCGI-3] [FCGI-7] [REQ-14] conformance: nginx FastCGI over a unix socket with fastcgi_keep_conn", .requires(.nginx))
    func nginxOverUnixSocket() async throws {
        try await check(.nginxFastCGIOverUnixSocket)
    }

    @Test("[CGI-3] [FCGI-1] [FCGI-3] [REQ-14] conformance: Apache mod_proxy_fcgi", .requires(.apache2))
    func apacheProxyFastCGI() async throws {
        try await check(.apacheProxyFastCGI)
    }

    @Test("[CGI-3] [CGI-9] [CGI-11] [REQ-14] conformance: Apache CGI (mod_cgid)", .requires(.apache2))
    func apacheCGI() async throws {
        try await check(.apacheCGI)
    }

    @Test("[CGI-3] [FCGI-1] [FCGI-8] [REQ-14] conformance: lighttpd FastCGI (bin-path)", .requires(.lighttpd))
    func lighttpdFastCGI() async throws {
        try await check(.lighttpdFastCGI)
    }

    @Test("[CGI-3] [CGI-9] [REQ-14] conformance: lighttpd CGI", .requires(.lighttpd))
    func lighttpdCGI() async throws {
        try await check(.lighttpdCGI)
    }

    @Test("[CGI-3] [FCGI-1] [REQ-14] conformance: Caddy FastCGI", .requires(.caddy))
    func caddyFastCGI() async throws {
        try await check(.caddyFastCGI)
    }

    /// Starts `deployment`, runs the whole catalog against it, writes the report, and expects
    /// no failure; on one, prints the table and the servers' logs for the CI log.
    func check(_ deployment: ProbeDeployment) async throws {
        let directory = try TemporaryDirectory(label: "conformance-\(deployment.rawValue)")
        let site = try await deployment.start(in: directory)
        defer { site.stop() }
        var target = ConformanceTarget(
            host: "127.0.0.1", port: site.port, mountPath: site.mountPath, serverName: deployment.title
        )
        target.knownDeviations = try deployment.knownDeviations()
        target.maxBodyBytes = ProbeDeployment.maxBodyBytes
        let report = await ConformanceSuite(target: target).run()
        let file = try ResultsDirectory.write(report, for: deployment)
        if report.hasFailures {
            print(report.table())
            print(site.logReport())
        }
        let failed = report.hasFailures
        #expect(!failed, "\(report.summary); the table and the logs are printed above, the report is in \(file.path)")
    }
}
