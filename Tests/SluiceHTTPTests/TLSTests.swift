// The standalone server over TLS, against real clients — curl and Python's ssl — with
// certificates made for each test (Spec HTTP-9, HTTP-10, HTTP-11, REQ-9, REQ-11).

import Foundation
import IntegrationSupport
import Testing

@Suite("TLS")
struct TLSTests {
    /// The probe's report of a request, as a JSON object.
    static func report(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: response.body) as? [String: Any], "not a probe report: \(response.text)")
    }

    static func metaVariables(_ response: HTTPResponse) throws -> [String: String] {
        try report(response)["metaVariables"] as? [String: String] ?? [:]
    }

    /// Waits for `condition` on the server's log, a few seconds at most.
    static func log(of server: BatteryServer, contains text: String) async throws -> Bool {
        for _ in 0..<50 {
            if server.process.logReport().contains(text) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test("[HTTP-9] [REQ-9] [REQ-11] a request over TLS says https and carries mod_ssl's variables, TLS 1.3 and 1.2 alike")
    func requestFacts() async throws {
        let certificates = try await TestCertificates.make()
        let server = try await BatteryServer.start(certificates.serverArguments(), program: "probe")
        let url = "https://localhost:\(server.port)/facts"
        let modern = try await Curl.fetch(CurlRequest(url, extraArguments: certificates.curlArguments(port: server.port, ["--http1.1"])))
        let report = try Self.report(modern)
        #expect(report["scheme"] as? String == "https")
        #expect(report["serverPort"] as? Int == server.port)
        #expect(report["serverProtocol"] as? String == "HTTP/1.1")
        let variables = try Self.metaVariables(modern)
        #expect(variables["HTTPS"] == "on")
        #expect(variables["SSL_PROTOCOL"] == "TLSv1.3")
        #expect(variables["SSL_CIPHER"].map { $0.hasPrefix("TLS_") } == true, "\(variables)")
        #expect(variables["SSL_TLS_SNI"] == "localhost")
        #expect(variables["SSL_CLIENT_VERIFY"] == "NONE")
        #expect(variables["SSL_CLIENT_S_DN"] == nil)

        let older = try await Curl.fetch(
            CurlRequest(
                url,
                extraArguments: certificates.curlArguments(
                    port: server.port, ["--http1.1", "--tlsv1.2", "--tls-max", "1.2"]
                )))
        let olderVariables = try Self.metaVariables(older)
        #expect(olderVariables["SSL_PROTOCOL"] == "TLSv1.2")
        #expect(
            olderVariables["SSL_CIPHER"] == "ECDHE-ECDSA-AES128-GCM-SHA256" || olderVariables["SSL_CIPHER"]?.hasPrefix("ECDHE-ECDSA-") == true,
            "\(olderVariables)")

        let bare = try await Curl.fetch(
            CurlRequest(
                "https://localhost:\(server.port)/", headers: [.init(name: "Host", value: "example.com")],
                extraArguments: certificates.curlArguments(port: server.port, ["--http1.1"])))
        #expect(try Self.report(bare)["serverPort"] as? Int == 443, "a Host without a port means https's 443")
    }

    @Test(
        "[HTTP-9] [HTTP-10] required client certificates: a trusted one reaches the application as SSL_CLIENT_*; none, an expired or an untrusted one fails the handshake, logged, and the server serves on"
    )
    func clientCertificates() async throws {
        let certificates = try await TestCertificates.make()
        let server = try await BatteryServer.start(
            certificates.serverArguments(["--tls-client-ca", certificates.path("ca.pem")]), program: "probe"
        )
        let url = "https://localhost:\(server.port)/mutual"
        func fetch(_ name: String?) async throws -> HTTPResponse {
            let client = name.map { ["--cert", certificates.path("\($0).pem"), "--key", certificates.path("\($0)-key.pem")] } ?? []
            return try await Curl.fetch(CurlRequest(url, extraArguments: certificates.curlArguments(port: server.port, ["--http1.1"] + client)))
        }
        let variables = try Self.metaVariables(try await fetch("client"))
        #expect(variables["SSL_CLIENT_VERIFY"] == "SUCCESS")
        #expect(variables["SSL_CLIENT_S_DN_CN"] == "sluice test client")
        #expect(variables["SSL_CLIENT_S_DN"]?.hasPrefix("CN=sluice test client,") == true, "\(variables)")
        #expect(variables["SSL_CLIENT_S_DN"]?.contains("O=Sluice\\, Tests") == true, "RFC 4514 escapes the comma: \(variables)")
        #expect(variables["SSL_CLIENT_I_DN"]?.contains("O=Sluice Test CA") == true, "\(variables)")
        #expect(variables["SSL_CLIENT_M_SERIAL"]?.allSatisfy(\.isHexDigit) == true)
        #expect(variables["SSL_CLIENT_V_END"]?.hasSuffix(" GMT") == true)
        #expect(variables["SSL_CLIENT_CERT"]?.hasPrefix("-----BEGIN CERTIFICATE-----\n") == true)

        for refused in [nil, "expired", "untrusted"] {
            await #expect(throws: CurlFailure.self, "\(refused ?? "no certificate") was accepted") { try await fetch(refused) }
        }
        #expect(try await Self.log(of: server, contains: "TLS handshake failed"))
        #expect(try await fetch("client").status == 200, "the server serves on")
    }

    @Test("[HTTP-9] optional client certificates: a client may go without one, SSL_CLIENT_VERIFY says NONE")
    func optionalClientCertificates() async throws {
        let certificates = try await TestCertificates.make()
        let server = try await BatteryServer.start(
            certificates.serverArguments(["--tls-client-ca", certificates.path("ca.pem"), "--tls-client-verify", "optional"]), program: "probe"
        )
        let url = "https://localhost:\(server.port)/optional"
        let without = try await Curl.fetch(CurlRequest(url, extraArguments: certificates.curlArguments(port: server.port, ["--http1.1"])))
        #expect(try Self.metaVariables(without)["SSL_CLIENT_VERIFY"] == "NONE")
        let with = try await Curl.fetch(
            CurlRequest(
                url,
                extraArguments: certificates.curlArguments(
                    port: server.port, ["--http1.1", "--cert", certificates.path("client.pem"), "--key", certificates.path("client-key.pem")]
                )))
        #expect(try Self.metaVariables(with)["SSL_CLIENT_VERIFY"] == "SUCCESS")
    }

    @Test("[HTTP-10] plain HTTP sent to the TLS port gets a cleartext 400; bytes that are not TLS and a stalled handshake are closed; all logged")
    func notTLS() async throws {
        let certificates = try await TestCertificates.make()
        let server = try await BatteryServer.start(certificates.serverArguments(["--head-timeout", "1"]), program: "probe")
        let plain = try await Curl.fetch("http://127.0.0.1:\(server.port)/")
        #expect(plain.status == 400)
        #expect(plain.text.contains("HTTP request to an HTTPS server"))
        #expect(try await Self.log(of: server, contains: "plain HTTP sent to the TLS port"))

        let garbage = try await RawSocket.exchange(Data(repeating: 0x01, count: 64), port: server.port, timeout: .seconds(5))
        #expect(garbage.ending != .timedOut, "the server kept a connection that spoke no TLS")
        // --head-timeout 1: a handshake that never comes is given up after a second.
        let silent = try await RawSocket.exchange(Data(), port: server.port, timeout: .seconds(8))
        #expect(silent.ending != .timedOut, "a handshake that never came was not closed")
        #expect(try await Self.log(of: server, contains: "not complete after"))

        let still = try await Curl.fetch(CurlRequest("https://localhost:\(server.port)/", extraArguments: certificates.curlArguments(port: server.port)))
        #expect(still.status == 200)
    }

    @Test("[HTTP-10] a client whose ALPN offers neither h2 nor http/1.1 is logged and closed; one that offers no ALPN gets HTTP/1.1")
    func noProtocolInCommon() async throws {
        let certificates = try await TestCertificates.make()
        let server = try await BatteryServer.start(certificates.serverArguments(), program: "probe")
        let script = """
            import socket, ssl, sys
            def exchange(protocols):
                context = ssl.create_default_context(cafile=sys.argv[2])
                if protocols:
                    context.set_alpn_protocols(protocols)
                with context.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10), server_hostname="localhost") as tls:
                    try:
                        tls.sendall(b"GET /alpn HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n")
                        return tls.recv(12)
                    except (ssl.SSLError, OSError):
                        return b""
            print(exchange(["spdy/3", "h3"]) == b"", exchange(None) == b"HTTP/1.1 200")
            """
        let output = try await PythonScript.run(script, arguments: [String(server.port), certificates.path("ca.pem")])
        #expect(output == "True True\n", "closed for spdy/3 and h3, served without ALPN: \(output)")
        #expect(try await Self.log(of: server, contains: "no application protocol in common"))
    }

    @Test("[HTTP-11] SIGHUP rereads the certificate for new connections; open connections go on; a bad pair is refused and the old one kept")
    func reloadOnHangUp() async throws {
        let certificates = try await TestCertificates.make()
        let served = certificates.directory.url.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        for name in ["server.pem", "server-key.pem"] {
            try FileManager.default.copyItem(atPath: certificates.path(name), toPath: served.appendingPathComponent(name).path)
        }
        let server = try await BatteryServer.start(
            ["--tls-certificate", served.appendingPathComponent("server.pem").path, "--tls-key", served.appendingPathComponent("server-key.pem").path],
            program: "probe"
        )
        let output = try await PythonScript.run(
            file: PythonScript.file("tls_reload.py"),
            arguments: [String(server.port), String(server.process.pid), certificates.directory.url.path, served.path],
            timeout: .seconds(60)
        )
        #expect(output.contains("\"ok\": true"), "\(output)")
        #expect(try await Self.log(of: server, contains: "reloaded the TLS certificate"))
        #expect(try await Self.log(of: server, contains: "serving on with the previous ones"))
    }
}
