// Lint against applications that return a response head breaking the Spec (RESP-2 to RESP-8).

import Sluice
import Testing

@Suite("Lint: the application's response head")
struct LintResponseTests {
    /// Runs an application returning `response` and checks that Lint named exactly `rule`,
    /// blamed the application, and the gateway answered 500 instead.
    static func expectRejected(_ rule: String, _ response: Response) async {
        let run = await LintedRun { _ in response }
        #expect(run.log.rules == [rule])
        #expect(run.log.violations.allSatisfy { $0.party == .application })
        #expect(run.writer.statusCode == 500)
    }

    /// A plain-text response with extra header fields.
    static func text(status: Response.Status = .ok, adding fields: [(String, String)]) -> Response {
        var response = Response.text("hello", status: status)
        response.headers.append(contentsOf: Headers(fields))
        return response
    }

    @Test("[RESP-2] Lint rejects a status above 599")
    func statusOutOfRange() async {
        await Self.expectRejected("RESP-2", .text("odd", status: 600))
    }

    @Test("[RESP-2] Lint rejects an informational status as the final response")
    func informationalFinal() async {
        await Self.expectRejected("RESP-2", Response(status: .earlyHints))
    }

    @Test("[RESP-3] Lint rejects a header name that is not a token")
    func headerNameNotToken() async {
        await Self.expectRejected("RESP-3", Self.text(adding: [("X Bad", "1")]))
    }

    @Test("[RESP-3] [SEC-2] Lint rejects a header value with CR or LF")
    func headerInjection() async {
        await Self.expectRejected("RESP-3", Self.text(adding: [("Location", "/a\r\nSet-Cookie: x=1")]))
    }

    @Test("[RESP-3] Lint rejects a header value with NUL")
    func headerValueWithNul() async {
        await Self.expectRejected("RESP-3", Self.text(adding: [("X-Name", "a\u{0}b")]))
    }

    @Test("[RESP-3] Lint rejects a Status header field")
    func statusField() async {
        await Self.expectRejected("RESP-3", Self.text(adding: [("Status", "404 Not Found")]))
    }

    @Test("[RESP-3] Lint rejects a hop-by-hop header")
    func hopByHop() async {
        await Self.expectRejected("RESP-3", Self.text(adding: [("Connection", "close")]))
    }

    @Test("[RESP-3] Lint rejects a Transfer-Encoding header: framing is the server's")
    func transferEncoding() async {
        await Self.expectRejected("RESP-3", Self.text(adding: [("Transfer-Encoding", "chunked")]))
    }

    @Test("[RESP-4] Lint rejects a Content-Length that is not a decimal number")
    func contentLengthNotDigits() async {
        await Self.expectRejected("RESP-4", Self.text(adding: [("Content-Length", "5 ")]))
    }

    @Test("[RESP-4] Lint rejects more than one Content-Length")
    func contentLengthTwice() async {
        await Self.expectRejected("RESP-4", Self.text(adding: [("Content-Length", "5"), ("Content-Length", "5")]))
    }

    @Test("[RESP-7] Lint rejects a body on a 204 response")
    func bodyOnNoContent() async {
        await Self.expectRejected("RESP-7", Response(status: .noContent, body: "gone"))
    }

    @Test("[RESP-7] Lint rejects a body on a 304 response")
    func bodyOnNotModified() async {
        await Self.expectRejected("RESP-7", Response(status: .notModified, body: "same"))
    }

    @Test("[RESP-7] Lint rejects Content-Length on a 204 response")
    func contentLengthOnNoContent() async {
        await Self.expectRejected("RESP-7", Response(status: .noContent, headers: ["Content-Length": "0"]))
    }

    @Test("[RESP-8] Lint warns about a body without Content-Type, and lets it through")
    func missingContentType() async {
        let run = await LintedRun { _ in Response(body: "untyped") }
        #expect(run.log.rules == ["RESP-8"])
        #expect(run.log.violations.first?.severity == .warning)
        #expect(run.writer.statusCode == 200)
        #expect(run.writer.text == "untyped")
    }

    @Test("[RESP-8] Lint warns once about a streamed body without Content-Type, at its first byte")
    func streamedWithoutContentType() async {
        let run = await LintedRun { _ in
            Response(
                body: .stream { writer in
                    try await writer.write("a")
                    try await writer.write("b")
                })
        }
        #expect(run.log.rules == ["RESP-8"])
        #expect(run.log.violations.first?.severity == .warning)
        #expect(run.writer.text == "ab")
    }

    @Test("[LINT-1] a violation reads as its rule in brackets and quotes the offending value")
    func description() async {
        let run = await LintedRun { _ in Self.text(adding: [("Keep-Alive", "timeout=5")]) }
        #expect(
            run.log.violations.map(\.description) == [
                #"[RESP-3] response header "Keep-Alive" is hop-by-hop; framing is the server's"#
            ])
    }

    @Test("[LINT-1] Lint reports every violation and throws the first")
    func severalViolations() async {
        let run = await LintedRun { _ in Self.text(status: 600, adding: [("Connection", "close")]) }
        #expect(run.log.rules == ["RESP-2", "RESP-3"])
        #expect(run.writer.statusCode == 500)
    }
}
