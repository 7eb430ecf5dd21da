// Lint against applications whose body producer breaks the Spec (RESP-3, RESP-4, RESP-10, RESP-11).

import Sluice
import Testing

@Suite("Lint: the application's response body")
struct LintResponseBodyTests {
    /// Runs an application whose streamed body `produce` writes, under the given header fields,
    /// and checks that Lint named exactly `rule`, blamed the application and failed the body.
    static func expectRejected(
        _ rule: String,
        headers: Headers = ["Content-Type": "text/plain"],
        length: Int? = nil,
        _ produce: @escaping @Sendable (any ResponseBodyWriter) async throws -> Void
    ) async {
        let run = await LintedRun { _ in Response(headers: headers, body: .stream(length: length, produce)) }
        #expect(run.log.rules == [rule])
        #expect(run.log.violations.allSatisfy { $0.party == .application })
        #expect(run.completion.error is LintViolation)
    }

    @Test("[RESP-4] Lint rejects a body longer than its Content-Length")
    func longerThanDeclared() async {
        await Self.expectRejected("RESP-4", headers: ["Content-Type": "text/plain", "Content-Length": "2"]) { writer in
            try await writer.write("abc")
        }
    }

    @Test("[RESP-4] Lint rejects a body that returns short of its Content-Length")
    func returnsShort() async {
        await Self.expectRejected("RESP-4", headers: ["Content-Type": "text/plain", "Content-Length": "5"]) { writer in
            try await writer.write("abc")
        }
    }

    @Test("[RESP-4] Lint rejects a body that finishes short of its Content-Length")
    func finishesShort() async {
        await Self.expectRejected("RESP-4", headers: ["Content-Type": "text/plain", "Content-Length": "5"]) { writer in
            try await writer.write("abc")
            try await writer.finish()
        }
    }

    @Test("[RESP-4] Lint rejects a body that writes fewer bytes than its declared length")
    func shorterThanBodyLength() async {
        await Self.expectRejected("RESP-4", length: 5) { writer in
            try await writer.write("abc")
        }
    }

    @Test("[RESP-10] Lint rejects a write after finish")
    func writeAfterFinish() async {
        await Self.expectRejected("RESP-10") { writer in
            try await writer.finish()
            try await writer.write("late")
        }
    }

    @Test("[RESP-10] Lint rejects a flush after finish")
    func flushAfterFinish() async {
        await Self.expectRejected("RESP-10") { writer in
            try await writer.finish()
            try await writer.flush()
        }
    }

    @Test("[RESP-10] Lint rejects a second finish")
    func finishTwice() async {
        await Self.expectRejected("RESP-10") { writer in
            try await writer.finish()
            try await writer.finish()
        }
    }

    @Test("[RESP-11] Lint rejects a trailer that frames the message")
    func framingTrailer() async {
        await Self.expectRejected("RESP-11") { writer in
            try await writer.write("body")
            try await writer.finish(trailers: ["Content-Length": "4"])
        }
    }

    @Test("[RESP-3] Lint rejects a trailer value with CR or LF")
    func trailerInjection() async {
        await Self.expectRejected("RESP-3") { writer in
            try await writer.finish(trailers: ["Server-Timing": "db;dur=1\r\nX: y"])
        }
    }
}
