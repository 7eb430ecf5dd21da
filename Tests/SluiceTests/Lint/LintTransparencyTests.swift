import GatewayTestSupport
import Sluice
import SluiceGateway
import Testing

@Suite("Lint is transparent")
struct LintTransparencyTests {
    /// Applications that break no rule, covering fixed, streamed, trailing and bodiless responses.
    static let applications: [(String, App)] = [
        ("fixed body", App { _ in .text("hello") }),
        (
            "streamed with flushes and trailers",
            App { _ in
                Response(
                    headers: ["Content-Type": "text/plain", "Set-Cookie": "a=1", "Set-Cookie": "b=2"],
                    body: .stream { writer in
                        try await writer.write("one")
                        try await writer.flush()
                        try await writer.write("two")
                        try await writer.finish(trailers: ["Digest": "sha-256=x"])
                    })
            }
        ),
        ("no content", App { _ in Response(status: .noContent) }),
        (
            "declared length",
            App { _ in
                Response(headers: ["Content-Type": "text/plain", "Content-Length": "3"], body: .stream { try await $0.write("abc") })
            }
        ),
    ]

    @Test("[LINT-2] the client receives the same exchange with and without Lint", arguments: 0..<4)
    func sameExchange(index: Int) async {
        let (name, application) = Self.applications[index]
        for method in [Request.Method.get, .head] {
            let bare = RecordingWriter()
            let linted = RecordingWriter()
            let log = ViolationLog()
            _ = await Gateway.respond(to: lintRequest { $0.method = method }, with: application, through: bare)
            _ = await Gateway.respond(to: lintRequest { $0.method = method }, with: Lint(application, report: log.record), through: linted)
            #expect(log.violations.isEmpty, "\(name) \(method): \(log.violations)")
            #expect(linted.events == bare.events, "\(name) \(method)")
            #expect(linted.headers == bare.headers, "\(name) \(method)")
        }
    }
}
