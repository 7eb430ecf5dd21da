// Lint against servers that hand over a request breaking the Spec (REQ-*, APP-2, APP-4).

import GatewayTestSupport
import Sluice
import SluiceGateway
import Testing

@Suite("Lint: the server's request")
struct LintRequestTests {
    /// Runs a request that breaks one rule and checks that Lint named exactly that rule,
    /// blamed the server, and stopped the application from running.
    static func expectRejected(_ rule: String, _ change: (inout Request) -> Void) async {
        let run = await LintedRun(request: lintRequest(change)) { _ in
            Issue.record("the application ran for an invalid request")
            return .text("ran")
        }
        #expect(run.log.rules == [rule])
        #expect(run.log.violations.allSatisfy { $0.party == .server })
        #expect(run.writer.statusCode == 500)
    }

    @Test("[REQ-1] Lint rejects a method that is not a token")
    func methodNotToken() async {
        await Self.expectRejected("REQ-1") { $0.method = "GE T" }
    }

    @Test("[REQ-1] Lint rejects an empty method")
    func emptyMethod() async {
        await Self.expectRejected("REQ-1") { $0.method = "" }
    }

    @Test("[REQ-2] Lint rejects a target that does not start with a slash")
    func relativeTarget() async {
        await Self.expectRejected("REQ-2") { $0.target = "a" }
    }

    @Test("[REQ-2] Lint rejects the asterisk target for a method other than OPTIONS")
    func asteriskForGet() async {
        await Self.expectRejected("REQ-2") { $0.target = "*" }
    }

    @Test("[REQ-3] Lint rejects a scriptName that ends with a slash")
    func scriptNameTrailingSlash() async {
        await Self.expectRejected("REQ-3") { request in
            request.target = "/app/"
            request.scriptName = "/app/"
            request.pathInfo = ""
        }
    }

    @Test("[REQ-3] Lint rejects a pathInfo that does not start with a slash")
    func pathInfoWithoutSlash() async {
        await Self.expectRejected("REQ-3") { request in
            request.target = "/appa"
            request.scriptName = "/app"
            request.pathInfo = "a"
        }
    }

    @Test("[REQ-4] Lint rejects a pathInfo that is still percent-encoded")
    func encodedPathInfo() async {
        await Self.expectRejected("REQ-4") { request in
            request.target = "/a%20b"
            request.pathInfo = "/a%20b"
        }
    }

    @Test("[REQ-4] Lint rejects a path split that does not add up to the target's path")
    func pathNotFromTarget() async {
        await Self.expectRejected("REQ-4") { $0.pathInfo = "/b" }
    }

    @Test("[REQ-5] Lint rejects a queryString that differs from the target's query")
    func decodedQuery() async {
        await Self.expectRejected("REQ-5") { request in
            request.target = "/a?x=%20"
            request.queryString = "x= "
        }
    }

    @Test("[REQ-7] Lint rejects a request header name that is not a token")
    func headerNameNotToken() async {
        await Self.expectRejected("REQ-7") { $0.headers.append(name: "Bad Name", value: "x") }
    }

    @Test("[REQ-7] Lint rejects a request header value with CR or LF")
    func headerValueWithLineBreak() async {
        await Self.expectRejected("REQ-7") { $0.headers.append(name: "X-Injected", value: "a\r\nb") }
    }

    @Test("[REQ-8] Lint rejects an empty serverName")
    func emptyServerName() async {
        await Self.expectRejected("REQ-8") { $0.serverName = "" }
    }

    @Test("[REQ-8] Lint rejects a serverPort outside 1...65535")
    func serverPortOutOfRange() async {
        await Self.expectRejected("REQ-8") { $0.serverPort = 0 }
    }

    @Test("[REQ-8] Lint rejects a serverProtocol that is not HTTP/d.d")
    func malformedProtocol() async {
        await Self.expectRejected("REQ-8") { $0.serverProtocol = "http/1.1" }
    }

    @Test("[REQ-9] Lint rejects a scheme other than http or https")
    func unknownScheme() async {
        await Self.expectRejected("REQ-9") { $0.scheme = "HTTPS" }
    }

    @Test("[REQ-10] Lint rejects a remotePort outside 0...65535")
    func remotePortOutOfRange() async {
        await Self.expectRejected("REQ-10") { $0.remotePort = 70000 }
    }

    @Test("[REQ-10] Lint rejects a remoteAddress that is not IP text")
    func bracketedRemoteAddress() async {
        await Self.expectRejected("REQ-10") { $0.remoteAddress = "[::1]" }
    }

    @Test("[REQ-11] Lint rejects an HTTP_* meta-variable")
    func httpMetaVariable() async {
        await Self.expectRejected("REQ-11") { $0.metaVariables = ["HTTP_HOST": "example.org"] }
    }

    @Test("[REQ-12] Lint rejects a Content-Length that differs from body.expectedLength")
    func contentLengthDisagrees() async {
        await Self.expectRejected("REQ-12") { request in
            request.headers.append(name: "Content-Length", value: "5")
            request.body = RequestBody(bytes: [1, 2, 3])
        }
    }

    @Test("[REQ-12] Lint rejects a Content-Length that is not one number")
    func contentLengthNotANumber() async {
        await Self.expectRejected("REQ-12") { request in
            request.headers.append(name: "Content-Length", value: "3, 3")
            request.body = RequestBody(bytes: [1, 2, 3])
        }
    }

    @Test("[REQ-14] Lint rejects capabilities that claim both run-once and concurrent")
    func runOnceAndConcurrent() async {
        await Self.expectRejected("REQ-14") { $0.capabilities = ServerCapabilities(isConcurrent: true, isRunOnce: true) }
    }

    @Test("[REQ-14] Lint rejects a second request on a run-once server")
    func secondRequestWhenRunOnce() async {
        let log = ViolationLog()
        let lint = Lint(App { _ in .text("ok") }, report: log.record)
        let runOnce = ServerCapabilities(isConcurrent: false, isRunOnce: true)
        let first = await Gateway.respond(to: lintRequest { $0.capabilities = runOnce }, with: lint, through: RecordingWriter())
        #expect(first.status?.code == 200)
        #expect(log.rules.isEmpty)
        let second = await Gateway.respond(to: lintRequest { $0.capabilities = runOnce }, with: lint, through: RecordingWriter())
        #expect(second.status?.code == 500)
        #expect(log.rules == ["REQ-14"])
    }

    @Test("[APP-2] Lint rejects overlapping requests on a server that is not concurrent")
    func overlappingRequests() async {
        let entered = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        let log = ViolationLog()
        let lint = Lint(
            App { _ in
                entered.continuation.yield()
                for await _ in release.stream { break }
                return .text("ok")
            }, report: log.record)
        let serial = ServerCapabilities(isConcurrent: false)
        let first = Task { await Gateway.respond(to: lintRequest { $0.capabilities = serial }, with: lint, through: RecordingWriter()) }
        for await _ in entered.stream { break }
        let second = await Gateway.respond(to: lintRequest { $0.capabilities = serial }, with: lint, through: RecordingWriter())
        release.continuation.yield()
        #expect(second.status?.code == 500)
        #expect(await first.value.status?.code == 200)
        #expect(log.rules == ["APP-2"])
    }

    @Test("[APP-4] Lint rejects a call made without the request's context current")
    func noCurrentContext() async {
        let server = RogueServer()
        await #expect(throws: LintViolation.self) {
            _ = try await server.lint.respond(to: lintRequest())
        }
        #expect(server.log.rules == ["APP-4"])
    }

    @Test(
        "[REQ-15] Lint rejects a scriptName or pathInfo with a dot segment or a control character, and a target the server had to refuse",
        arguments: [
            ("/a/../b", "/a/../b"), ("/a", "/a\u{0}"), ("/x/%2e%2e%2fb", "/x/../b"), ("/x%00", "/x\u{0}"),
        ])
    func unsafePaths(target: String, pathInfo: String) async {
        let run = await LintedRun(
            request: lintRequest { request in
                request.target = target
                request.pathInfo = pathInfo
            }
        ) { _ in .text("never") }
        #expect(run.log.rules.contains("REQ-15"))
        #expect(run.log.violations.allSatisfy { $0.party == .server })
    }

    @Test("[REQ-3] [REQ-4] a request a front server passed may be routed elsewhere than its target: Lint does not flag it")
    func rerunBehindFrontServer() async {
        let rerun = lintRequest { request in
            request.target = "/app/first?from=1"
            request.scriptName = "/app"
            request.pathInfo = "/second"
            request.queryString = "to=2"
            request.metaVariables = ["REDIRECT_STATUS": "200"]
        }
        let run = await LintedRun(request: rerun) { _ in .text("ok") }
        #expect(run.log.violations.isEmpty)
    }
}
