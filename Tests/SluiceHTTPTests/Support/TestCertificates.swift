// Certificates made for one test with trustme (Scripts/certificates.py), in a directory of
// their own.

import Foundation
import IntegrationSupport

/// A certificate authority, server and client certificates, made at test time.
struct TestCertificates {
    let directory: TemporaryDirectory

    /// Makes them; the test is cancelled (a failure under CI=true) where trustme is missing.
    static func make() async throws -> TestCertificates {
        try await PythonScript.require(module: "trustme")
        let directory = try TemporaryDirectory(label: "certificates")
        _ = try await PythonScript.run(file: PythonScript.file("certificates.py"), arguments: [directory.url.path], timeout: .seconds(60))
        return TestCertificates(directory: directory)
    }

    /// The path of `name` (`ca.pem`, `server.pem`, `client-key.pem` …).
    func path(_ name: String) -> String {
        directory.url.appendingPathComponent(name).path
    }

    /// `serve`'s flags for TLS with the server certificate, plus `extra`.
    func serverArguments(_ extra: [String] = []) -> [String] {
        ["--tls-certificate", path("server.pem"), "--tls-key", path("server-key.pem")] + extra
    }

    /// curl's flags trusting the authority, connecting to `localhost` at 127.0.0.1.
    func curlArguments(port: Int, _ extra: [String] = []) -> [String] {
        ["--cacert", path("ca.pem"), "--resolve", "localhost:\(port):127.0.0.1"] + extra
    }
}
