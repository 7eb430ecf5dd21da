// Lint stays silent for exchanges that keep the Spec: it must not cry wolf.

import GatewayTestSupport
import Sluice
import SluiceGateway
import Testing

@Suite("Lint: valid exchanges")
struct LintValidExchangeTests {
    @Test("[LINT-1] a plain GET with a typed body breaks no rule")
    func plainGet() async {
        let run = await LintedRun { _ in .text("hello") }
        #expect(run.log.violations.isEmpty)
        #expect(run.writer.statusCode == 200)
        #expect(run.writer.text == "hello")
        #expect(run.completion.succeeded)
    }

    @Test("[RESP-9] a streamed body of unknown length, flushed as it goes, breaks no rule")
    func streaming() async {
        let run = await LintedRun { _ in
            Response(
                headers: ["Content-Type": "text/event-stream"],
                body: .stream { writer in
                    for line in ["a\n", "b\n"] {
                        try await writer.write(line)
                        try await writer.flush()
                    }
                })
        }
        #expect(run.log.violations.isEmpty)
        #expect(run.writer.events == [.head(200), .body(Array("a\n".utf8)), .flush, .body(Array("b\n".utf8)), .flush, .finish(nil)])
    }

    @Test("[RESP-6] HEAD answered with the GET head breaks no rule")
    func head() async {
        let run = await LintedRun(request: lintRequest { $0.method = .head }) { _ in .text("hello") }
        #expect(run.log.violations.isEmpty)
        #expect(run.writer.headers?["Content-Length"] == "5")
        #expect(run.writer.body.isEmpty)
    }

    @Test("[RESP-7] a 204 without body or Content-Length breaks no rule")
    func noContent() async {
        let run = await LintedRun { _ in Response(status: .noContent) }
        #expect(run.log.violations.isEmpty)
        #expect(run.writer.statusCode == 204)
    }

    @Test("[RESP-4] a body of exactly its Content-Length, finished explicitly, breaks no rule")
    func exactContentLength() async {
        let run = await LintedRun { _ in
            Response(
                headers: ["Content-Type": "text/plain", "Content-Length": "4"],
                body: .stream { writer in
                    try await writer.write("ab")
                    try await writer.write("cd")
                    try await writer.finish()
                })
        }
        #expect(run.log.violations.isEmpty)
        #expect(run.writer.text == "abcd")
    }

    @Test("[RESP-11] trailers that neither frame nor route the message break no rule")
    func trailers() async {
        let run = await LintedRun { _ in
            Response(
                headers: ["Content-Type": "text/plain"],
                body: .stream { writer in
                    try await writer.write("done")
                    try await writer.finish(trailers: ["Server-Timing": "db;dur=12"])
                })
        }
        #expect(run.log.violations.isEmpty)
        #expect(run.writer.events.last == .finish(["Server-Timing": "db;dur=12"]))
    }

    @Test("[MOUNT-2] a mounted application's request, with query and encoded path, breaks no rule")
    func mounted() async {
        let log = ViolationLog()
        let api = Lint(App { request in .text("\(request.scriptName)|\(request.pathInfo)|\(request.queryString)") }, report: log.record)
        let request = lintRequest { request in
            request.target = "/api/a%20b?q=1"
            request.pathInfo = "/api/a b"
            request.queryString = "q=1"
        }
        let writer = RecordingWriter()
        _ = await Gateway.respond(to: request, with: Mount(["/api": api]), through: writer)
        #expect(log.violations.isEmpty)
        #expect(writer.text == "/api|/a b|q=1")
    }

    @Test("[REQ-2] OPTIONS * breaks no rule")
    func optionsAsterisk() async {
        let request = lintRequest { request in
            request.method = .options
            request.target = "*"
            request.pathInfo = ""
        }
        let run = await LintedRun(request: request) { _ in Response(status: .noContent, headers: ["Allow": "GET, HEAD"]) }
        #expect(run.log.violations.isEmpty)
    }

    @Test("[REQ-12] a request body read whole, with a matching Content-Length, breaks no rule")
    func requestBody() async {
        let request = lintRequest { request in
            request.method = .post
            request.headers.append(name: "Content-Length", value: "3")
            request.body = RequestBody(bytes: [1, 2, 3])
        }
        let run = await LintedRun(request: request) { request in
            .text("\(try await request.body.collect(upTo: 10).count)")
        }
        #expect(run.log.violations.isEmpty)
        #expect(run.writer.text == "3")
    }

    @Test("[LIFE-1] [LIFE-2] startup, requests, then shutdown, once each, break no rule")
    func lifecycle() async throws {
        let log = ViolationLog()
        let app = App { _ in .text("ok") }.linted(report: log.record)
        try await app.startup()
        _ = await Gateway.respond(to: lintRequest(), with: app, through: RecordingWriter())
        _ = await Gateway.respond(to: lintRequest(), with: app, through: RecordingWriter())
        await app.shutdown()
        #expect(log.violations.isEmpty)
    }
}
