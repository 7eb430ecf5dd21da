// The test client runs applications under Lint and fails loudly on an error.

import Sluice
import SluiceTesting
import Testing

@Suite("Lint in the test client")
struct LintTests {
    /// An application that breaks RESP-3: Connection is the server's business.
    let hopByHop = App { _ in
        Response(headers: ["Content-Type": "text/plain", "Connection": "close"], body: "x")
    }

    @Test("[LINT-1] [RESP-3] a violation fails the request with LintFailure, naming the rule")
    func violationThrows() async throws {
        let failure = await #expect(throws: LintFailure.self) {
            try await TestClient(hopByHop).get("/").send()
        }
        #expect(failure?.violations.contains { $0.rule == "RESP-3" } == true)
        #expect(failure?.response?.lintViolations.contains { $0.rule == "RESP-3" } == true)
        #expect(failure?.description.contains("[RESP-3]") == true)
    }

    @Test("[LINT-1] a violation while streaming fails the stream")
    func violationThrowsWhenStreaming() async throws {
        await #expect(throws: LintFailure.self) {
            try await TestClient(hopByHop).get("/").stream { response in
                for try await _ in response.body {}
            }
        }
    }

    @Test("[LINT-1] lint: false runs the application bare; the server still drops hop-by-hop fields [RESP-3]")
    func lintOff() async throws {
        let response = try await TestClient(hopByHop, lint: false).get("/").send()
        #expect(response.status == .ok)
        #expect(response.headers["Connection"] == nil)
        #expect(response.lintViolations.isEmpty)
    }

    @Test("[RESP-8] a warning is exposed without failing the request")
    func warningExposed() async throws {
        let response = try await TestClient(App { _ in Response(body: "untyped") }).get("/").send()
        #expect(response.text == "untyped")
        #expect(response.lintViolations.map(\.rule) == ["RESP-8"])
        #expect(response.lintViolations.allSatisfy { $0.severity == .warning })
    }
}
