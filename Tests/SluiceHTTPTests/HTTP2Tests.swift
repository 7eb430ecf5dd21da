// HTTP/2 from outside: Python's h2 driving frames one by one, curl and nghttp, against the probe
// served with h2c by prior knowledge and over TLS (Spec H2-1 to H2-8, BODY-8, LIFE-4, LIFE-5).

import Foundation
import IntegrationSupport
import Testing

@Suite("HTTP/2")
struct HTTP2Tests {
    /// Runs the h2_cases.py case `name` against `server`; returns its JSON line.
    @discardableResult
    static func run(_ name: String, against server: BatteryServer, tls certificates: TestCertificates? = nil, pid: Bool = false) async throws -> String {
        try await PythonScript.require(module: "h2")
        var arguments = [name, String(server.port)]
        if let certificates { arguments += ["--tls", certificates.path("ca.pem")] }
        if pid { arguments += ["--pid", String(server.process.pid)] }
        let output = try await PythonScript.run(file: PythonScript.file("h2_cases.py"), arguments: arguments, timeout: .seconds(90))
        #expect(output.contains("\"ok\": true"), "\(output)")
        return output
    }

    /// The probe serving cleartext HTTP/2 by prior knowledge, with `arguments`.
    static func cleartext(_ arguments: [String] = []) async throws -> BatteryServer {
        try await BatteryServer.start(["--h2c"] + arguments, program: "probe")
    }

    @Test("[H2-1] [H2-2] [H2-3] pseudo-headers make the request: :authority as host, cookie crumbs joined, HTTP/2.0, trailers and 1xx capable")
    func requestMapping() async throws {
        let server = try await Self.cleartext()
        try await Self.run("request", against: server)
    }

    @Test("[H2-2] [H2-4] host and :authority must agree; a :path not in origin form is 400; connection-specific fields reset the stream")
    func malformedRequests() async throws {
        let server = try await Self.cleartext()
        try await Self.run("host-mismatch", against: server)
        try await Self.run("origin-form", against: server)
        try await Self.run("connection-specific", against: server)
    }

    @Test("[H2-5] [BODY-2] [REQ-12] bodies stream both ways under flow control; a body without content-length has no declared length")
    func bodies() async throws {
        let server = try await Self.cleartext()
        try await Self.run("echo", against: server)
        try await Self.run("unknown-length", against: server)
    }

    @Test("[H2-5] [BODY-5] a response complete before the request body reaches the client whole, even past its window; RST_STREAM NO_ERROR follows it")
    func responseBeforeRequestBody() async throws {
        let server = try await Self.cleartext()
        try await Self.run("early-response", against: server)
    }

    @Test("[BODY-8] [RESP-11] [RESP-12] request trailers are dropped, response trailers and 103 reach the client")
    func trailersAndInformational() async throws {
        let server = try await Self.cleartext()
        try await Self.run("trailers", against: server)
        try await Self.run("early-hints", against: server)
    }

    @Test("[H2-6] [LIFE-4] [LIFE-3] RST_STREAM cancels the request's task and runs its completion hooks once")
    func resetCancels() async throws {
        let server = try await Self.cleartext()
        try await Self.run("reset-cancels", against: server)
    }

    @Test("[H2-8] [LIFE-5] a graceful stop sends GOAWAY, lets the open stream finish, then closes")
    func gracefulStop() async throws {
        let server = try await Self.cleartext()
        try await Self.run("graceful-stop", against: server, pid: true)
        #expect(try await server.process.waitForExit(timeout: .seconds(15)) == .exited(code: 0))
    }

    @Test("[H2-7] [SEC-3] more streams than SETTINGS_MAX_CONCURRENT_STREAMS are refused; too many fields get 431; a header list over its SETTINGS is refused")
    func limits() async throws {
        let server = try await Self.cleartext(["--max-concurrent-streams", "8"])
        try await Self.run("max-streams", against: server)
        try await Self.run("header-count", against: server)
        try await Self.run("header-list-size", against: server)
    }

    @Test(
        "[H2-7] [SEC-5] attacks end in GOAWAY with the right code and the server serves on: HPACK table size, rapid reset, CONTINUATION, SETTINGS, PING and empty DATA floods"
    )
    func attacks() async throws {
        let server = try await Self.cleartext()
        for attack in ["hpack-table-size", "rapid-reset", "continuation-flood", "settings-flood", "ping-flood", "empty-data-flood"] {
            try await Self.run(attack, against: server)
        }
    }

    @Test("[H2-7] [SEC-5] [RESP-15] a stream whose window never opens is reset after the write timeout; the connection serves on")
    func windowNeverOpens() async throws {
        let server = try await Self.cleartext(["--write-timeout", "1"])
        try await Self.run("window-never-opens", against: server)
    }

    @Test("[H2-6] [HTTP-9] HTTP/2 over TLS by ALPN: the same request, with https and the TLS variables")
    func overTLS() async throws {
        let certificates = try await TestCertificates.make()
        let server = try await BatteryServer.start(certificates.serverArguments(), program: "probe")
        let output = try await Self.run("request", against: server, tls: certificates)
        #expect(output.contains("\"HTTPS\": \"on\""), "\(output)")
    }

    @Test("[H2-6] curl speaks HTTP/2 by ALPN and by prior knowledge; HTTP/1.1 clients are still served on both ports")
    func curl() async throws {
        let certificates = try await TestCertificates.make()
        let secure = try await BatteryServer.start(certificates.serverArguments(), program: "probe")
        let overTLS = try await Curl.fetch(
            CurlRequest(
                "https://localhost:\(secure.port)/curl", extraArguments: certificates.curlArguments(port: secure.port, ["--http2"])
            ))
        #expect(overTLS.statusLine.hasPrefix("HTTP/2 200"), "\(overTLS.statusLine)")
        #expect(try TLSTests.report(overTLS)["serverProtocol"] as? String == "HTTP/2.0")
        let fallback = try await Curl.fetch(
            CurlRequest(
                "https://localhost:\(secure.port)/curl", extraArguments: certificates.curlArguments(port: secure.port, ["--http1.1"])
            ))
        #expect(try TLSTests.report(fallback)["serverProtocol"] as? String == "HTTP/1.1")

        let cleartext = try await Self.cleartext()
        let prior = try await Curl.fetch(
            CurlRequest(
                cleartext.url("/curl?x=1"), method: "POST", body: .bytes(Data(repeating: 7, count: 300_000)),
                extraArguments: ["--http2-prior-knowledge"]))
        #expect(prior.statusLine.hasPrefix("HTTP/2 200"), "\(prior.statusLine)")
        let report = try TLSTests.report(prior)
        #expect((report["body"] as? [String: Any])?["bytesRead"] as? Int == 300_000)
        let plain = try await Curl.fetch(cleartext.url("/plain"))
        #expect(try TLSTests.report(plain)["serverProtocol"] as? String == "HTTP/1.1")
    }

    @Test("[H2-6] nghttp and h2load complete requests over h2c and TLS")
    func nghttp2Clients() async throws {
        try await Self.requireProgram("h2load")
        let certificates = try await TestCertificates.make()
        let cleartext = try await Self.cleartext()
        let secure = try await BatteryServer.start(certificates.serverArguments(), program: "probe")
        for url in [cleartext.url("/load"), "https://127.0.0.1:\(secure.port)/load"] {
            let output = try await Self.output(of: "h2load", ["-n", "2000", "-c", "4", "-m", "16", url])
            #expect(output.contains("2000 succeeded, 0 failed"), "\(output)")
            #expect(output.contains("2000 2xx"), "\(output)")
        }
        let nghttp = try await Self.output(of: "nghttp", ["-n", "-s", "-m", "20", cleartext.url("/nghttp")])
        #expect(nghttp.contains("complete") || nghttp.contains("Request"), "\(nghttp)")
    }

    /// Cancels the test (fails it under CI=true) where `program` is not installed.
    static func requireProgram(_ program: String) async throws {
        guard !FileManager.default.isExecutableFile(atPath: "/usr/bin/\(program)") else { return }
        let reason = "\(program) is not installed (Scripts/install-dependencies installs nghttp2-client)"
        if FrontServer.missingProgramsFailTheRun { throw HarnessError("CI=true and \(reason)") }
        try Test.cancel(Comment(rawValue: reason))
    }

    /// Runs `/usr/bin/program` with `arguments` for at most 60 s; its standard output.
    static func output(of program: String, _ arguments: [String]) async throws -> String {
        let directory = try TemporaryDirectory(label: program)
        let process = try ManagedProcess(name: program, executable: "/usr/bin/\(program)", arguments: arguments, workingDirectory: directory.url)
        let status = try await process.waitForExit(timeout: .seconds(60))
        let output = String(decoding: try Data(contentsOf: process.standardOutputLog), as: UTF8.self)
        guard status == .exited(code: 0) else { throw HarnessError("\(program) \(status.map(\.description) ?? "did not end")\n\(output)") }
        return output
    }
}
