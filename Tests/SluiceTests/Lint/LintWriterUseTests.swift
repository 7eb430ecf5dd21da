// Lint and how an application uses what the server lends it while it responds: informational
// responses as sent (RESP-12) and the body writer, one call at a time and not after the body
// producer returned (RESP-14).

import GatewayTestSupport
import Sluice
import Synchronization
import Testing

@Suite("Lint: informational responses and the body writer")
struct LintWriterUseTests {
    @Test("[RESP-12] Lint names an informational status an application may not send", arguments: [100, 101, 200])
    func informationalStatus(code: Int) async {
        let run = await LintedRun { request in
            try await request.context.sendInformational(status: Response.Status(code: code), headers: [:])
            return .text("never")
        }
        #expect(run.log.rules == ["RESP-12"])
        #expect(run.log.violations.first?.party == .application)
        #expect(run.completion.status == .internalServerError)
    }

    @Test("[RESP-12] [RESP-3] Lint names an informational field that breaks the field rules, and lets 103 with a Link through")
    func informationalFields() async {
        let hopByHop = await LintedRun { request in
            try await request.context.sendInformational(status: .earlyHints, headers: ["Connection": "close"])
            return .text("never")
        }
        #expect(hopByHop.log.rules == ["RESP-3"])
        let fine = await LintedRun { request in
            try await request.context.sendInformational(status: .earlyHints, headers: ["Link": "</s.css>; rel=preload"])
            return .text("ok")
        }
        #expect(fine.log.violations.isEmpty)
        #expect(fine.writer.events.first == .informational(103))
    }

    @Test("[RESP-14] Lint rejects a write while another write has not returned")
    func concurrentWrites() async {
        let overlapping = App { _ in
            Response(
                headers: ["Content-Type": "text/plain"],
                body: .stream { writer in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 0..<2 {
                            group.addTask { try await writer.write(Array(repeating: 0x61, count: 16)) }
                        }
                        // The first error ends the group at once, cancelling the write still asleep.
                        for try await _ in group {}
                    }
                })
        }
        let run = await LintedRun(overlapping, writer: RecordingWriter(writeDelay: .seconds(10)))
        #expect(run.log.rules == ["RESP-14"])
    }

    @Test("[RESP-14] Lint rejects a writer used after its body producer returned")
    func writeAfterReturn() async throws {
        let escaped = Mutex<(any ResponseBodyWriter)?>(nil)
        let run = await LintedRun { _ in
            Response(
                headers: ["Content-Type": "text/plain"],
                body: .stream { writer in
                    escaped.withLock { $0 = writer }
                    try await writer.write("a")
                })
        }
        #expect(run.log.violations.isEmpty)
        let writer = try #require(escaped.withLock { $0 })
        await #expect(throws: LintViolation.self) { try await writer.write("late") }
        #expect(run.log.rules == ["RESP-14"])
    }
}
