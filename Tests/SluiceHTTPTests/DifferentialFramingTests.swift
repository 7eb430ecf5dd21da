// The standalone server against an independent HTTP/1.1 parser, Python's h11: on a generated
// corpus of framing edge cases both must find the same requests, byte for byte (Spec HTTP-3,
// SEC-4).

import Foundation
import IntegrationSupport
import Sluice
import SluiceHTTP
import Testing

extension UnderLoad {
    @Suite("Framing, differentially against h11")
    struct DifferentialFramingTests {
        /// Answers `METHOD TARGET LENGTH FNV1A64` of each request's body.
        static let echo = App { request in
            let body = try await request.body.collect(upTo: 1 << 20)
            return .text("\(request.method.rawValue) \(request.target) \(body.count) \(BatteryTests.fnv1a(Data(body)))\n")
        }

        /// The script, beside this file.
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/framing.py")

        @Test(
            "[HTTP-3] [SEC-4] the server and h11 agree on where every request of the corpus begins and ends; where one takes what the other refuses, for a listed reason"
        )
        func agreesWithH11() async throws {
            try await PythonScript.require(module: "h11")
            try await InProcessServer.serving(
                Self.echo,
                configure: { configuration in
                    // Short, so that a connection left waiting for bytes that never come ends quickly;
                    // the idle timeout less so: it also runs between the script's connect and its
                    // send, which a loaded machine can keep apart for longer than 300 ms (the server
                    // then rightly closes a connection that sent nothing, and the case looks lost).
                    configuration.timeouts = .init(idle: .seconds(2), requestHead: .milliseconds(300), bodyRead: .milliseconds(300))
                }
            ) { server in
                let output = try await PythonScript.run(file: Self.script, arguments: [String(server.port)], timeout: .seconds(300))
                let summaryLine = try #require(output.split(separator: "\n").last, "no output")
                let summary = try JSONDecoder().decode(Summary.self, from: Data(summaryLine.utf8))
                print(
                    "differential framing: \(summary.cases) cases, \(summary.agreed) agreed; stricter: \(summary.stricter.mapValues(\.count)); lenient: \(summary.lenient.mapValues(\.count))"
                )
                #expect(summary.disagreements.isEmpty, "\(summary.disagreements.joined(separator: "\n"))")
                #expect(summary.cases > 500)
            }
        }

        struct Summary: Decodable {
            var cases: Int
            var agreed: Int
            var stricter: [String: [String]]
            var lenient: [String: [String]]
            var disagreements: [String]
        }
    }
}
