// ProbeDeployment.swift — the probe (Examples/Probe) served every way Sluice supports, mounted
// at /app, each started on 127.0.0.1 for one test and stopped by pid.

import Foundation
import IntegrationSupport
import SluiceConformance

/// One column of the conformance matrix: a front server (or none) and how it reaches the probe.
enum ProbeDeployment: String, CaseIterable, Sendable {
    case standaloneHTTP = "http"
    case nginxFastCGIOverTCP = "nginx-fastcgi-tcp"
    case nginxFastCGIOverUnixSocket = "nginx-fastcgi-unix-keep-conn"
    case apacheProxyFastCGI = "apache-proxy-fcgi"
    case apacheCGI = "apache-cgid"
    case lighttpdFastCGI = "lighttpd-fastcgi"
    case lighttpdCGI = "lighttpd-cgi"
    case caddyFastCGI = "caddy-fastcgi"

    /// Where the probe is mounted: below a prefix, so every case sees the
    /// scriptName/pathInfo split.
    static let mountPath = "/app"

    /// The request body limit of the probe and of every front server, as a deployment guide
    /// would set both: the suite's largest body (64 MiB) fits, one byte more is answered 413
    /// (Spec SEC-3) — by the front server where there is one.
    static let maxBodyBytes = 64 << 20

    /// FastCGI workers: more than nginx's 8 kept connections (Spec FCGI-3), and enough for
    /// the suite's concurrent requests.
    static let fastCGIWorkers = 16

    /// The name in reports and the matrix's column heading.
    var title: String {
        switch self {
        case .standaloneHTTP: "standalone HTTP"
        case .nginxFastCGIOverTCP: "nginx FastCGI, TCP"
        case .nginxFastCGIOverUnixSocket: "nginx FastCGI, unix socket, keep_conn"
        case .apacheProxyFastCGI: "Apache mod_proxy_fcgi"
        case .apacheCGI: "Apache CGI (mod_cgid)"
        case .lighttpdFastCGI: "lighttpd FastCGI (bin-path)"
        case .lighttpdCGI: "lighttpd CGI"
        case .caddyFastCGI: "Caddy FastCGI"
        }
    }

    /// The file listing the cases this deployment is known to fail, and why:
    /// `Deviations/<name>.txt`, lines `CASE-ID: explanation`.
    var deviationsFile: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Deviations").appendingPathComponent("\(rawValue).txt")
    }

    /// The deviations file's table: case ID → explanation.
    func knownDeviations() throws -> [String: String] {
        try DeviationsFile.read(String(contentsOf: deviationsFile, encoding: .utf8))
    }

    /// Starts the probe and its front server in `directory`.
    func start(in directory: TemporaryDirectory) async throws -> any HostedApplication {
        let probe = try BuiltProduct.path("probe")
        let limit = String(Self.maxBodyBytes)
        let fastCGI = FastCGIApp(
            executable: probe,
            arguments: ["--mount", Self.mountPath, "--workers", String(Self.fastCGIWorkers), "--max-body-bytes", limit]
        )
        // Under CGI the command line is not read; the limit comes from the environment.
        let cgiEnvironment = ["SLUICE_MAX_BODY_BYTES": limit]
        switch self {
        case .standaloneHTTP:
            return try await StandaloneHTTPServer.start(
                executable: probe, arguments: ["--max-body-bytes", limit, "--h2c"], mountPath: Self.mountPath, in: directory
            )
        case .nginxFastCGIOverTCP:
            return try await NginxFastCGIHost.start(fastCGI, overTCP: true, keepsConnections: false, maxBodyBytes: Self.maxBodyBytes, in: directory)
        case .nginxFastCGIOverUnixSocket:
            return try await NginxFastCGIHost.start(fastCGI, overTCP: false, keepsConnections: true, maxBodyBytes: Self.maxBodyBytes, in: directory)
        case .apacheProxyFastCGI:
            return try await ApacheFastCGIHost.start(fastCGI, maxBodyBytes: Self.maxBodyBytes, in: directory)
        case .apacheCGI:
            let program = try directory.copyProgram(from: probe, as: "probe.cgi")
            return try await ApacheCGIHost.start(program: program, environment: cgiEnvironment, maxBodyBytes: Self.maxBodyBytes, in: directory)
        case .lighttpdFastCGI:
            // lighttpd runs the probe as its worker user: a copy it can reach.
            let copy = try directory.copyProgram(from: probe, as: "probe")
            let app = FastCGIApp(executable: copy.path, arguments: fastCGI.arguments)
            return try await LighttpdFastCGIHost.start(app, maxBodyBytes: Self.maxBodyBytes, in: directory)
        case .lighttpdCGI:
            let program = try directory.copyProgram(from: probe, as: "probe.cgi")
            return try await LighttpdCGIHost.start(program: program, environment: cgiEnvironment, maxBodyBytes: Self.maxBodyBytes, in: directory)
        case .caddyFastCGI:
            return try await CaddyFastCGIHost.start(fastCGI, in: directory)
        }
    }
}
