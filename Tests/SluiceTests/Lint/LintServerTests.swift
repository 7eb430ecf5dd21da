// Lint against servers that run a response or the lifecycle against the Spec (RESP-1, RESP-6,
// RESP-7, APP-4, LIFE-1 to LIFE-3). The gateway keeps these rules, so a rogue server plays them.

import GatewayTestSupport
import Sluice
import Testing

@Suite("Lint: how the server runs the response")
struct LintServerTests {
    @Test("[RESP-6] Lint rejects a server that runs the body producer for HEAD")
    func bodyForHead() async throws {
        let server = RogueServer()
        let request = lintRequest { $0.method = .head }
        let response = try await server.respond(to: request)
        await #expect(throws: LintViolation.self) { try await server.runBody(of: response, for: request) }
        #expect(server.log.rules == ["RESP-6"])
        #expect(server.log.violations.first?.party == .server)
    }

    @Test("[RESP-7] Lint rejects a server that runs the body producer of a 204")
    func bodyForNoContent() async throws {
        let server = RogueServer { _ in Response(status: .noContent, body: .stream { _ in }) }
        let request = lintRequest()
        let response = try await server.respond(to: request)
        await #expect(throws: LintViolation.self) { try await server.runBody(of: response, for: request) }
        #expect(server.log.rules == ["RESP-7"])
        #expect(server.log.violations.first?.party == .server)
    }

    @Test("[RESP-1] Lint rejects a server that runs the body producer twice")
    func bodyTwice() async throws {
        let server = RogueServer()
        let request = lintRequest()
        let response = try await server.respond(to: request)
        try await server.runBody(of: response, for: request)
        await #expect(throws: LintViolation.self) { try await server.runBody(of: response, for: request) }
        #expect(server.log.rules == ["RESP-1"])
    }

    @Test("[APP-4] Lint rejects a server that runs the body without the request's context current")
    func bodyWithoutContext() async throws {
        let server = RogueServer()
        let request = lintRequest()
        let response = try await server.respond(to: request)
        await #expect(throws: LintViolation.self) { try await response.body.write(to: RecordingWriter()) }
        #expect(server.log.rules == ["APP-4"])
    }

    @Test("[LIFE-3] Lint rejects a completion whose status is not the one the application returned")
    func completionWithOtherStatus() async throws {
        let server = RogueServer()
        let request = lintRequest()
        let response = try await server.respond(to: request)
        try await server.runBody(of: response, for: request)
        await request.context.complete(with: Completion(status: .notFound, bodyBytesSent: 2, error: nil))
        #expect(server.log.rules == ["LIFE-3"])
    }

    @Test("[LIFE-3] Lint rejects a server that completes the request before running the body")
    func completedBeforeBody() async throws {
        let server = RogueServer()
        let request = lintRequest()
        let response = try await server.respond(to: request)
        await request.context.complete(with: Completion(status: .ok, bodyBytesSent: 0, error: nil))
        await #expect(throws: LintViolation.self) { try await server.runBody(of: response, for: request) }
        #expect(server.log.rules == ["LIFE-3"])
    }

    @Test("[LIFE-3] Lint rejects a server that runs completion hooks while the body streams")
    func completedWhileStreaming() async throws {
        let request = lintRequest()
        let server = RogueServer { _ in
            .text("early")  // the server completes as soon as the producer starts writing
        }
        let response = try await server.respond(to: request)
        let completing = CompletingWriter(request: request)
        try await RequestContext.withCurrent(request.context) { try await response.body.write(to: completing) }
        #expect(server.log.rules == ["LIFE-3"])
    }

    @Test("[LIFE-1] Lint rejects a second startup")
    func startupTwice() async throws {
        let server = RogueServer()
        try await server.lint.startup()
        await #expect(throws: LintViolation.self) { try await server.lint.startup() }
        #expect(server.log.rules == ["LIFE-1"])
    }

    @Test("[LIFE-1] Lint rejects a startup after a request was served")
    func startupAfterRequest() async throws {
        let server = RogueServer()
        _ = try await server.respond(to: lintRequest())
        await #expect(throws: LintViolation.self) { try await server.lint.startup() }
        #expect(server.log.rules == ["LIFE-1"])
    }

    @Test("[LIFE-2] Lint reports a second shutdown")
    func shutdownTwice() async throws {
        let server = RogueServer()
        try await server.lint.startup()
        await server.lint.shutdown()
        #expect(server.log.rules.isEmpty)
        await server.lint.shutdown()
        #expect(server.log.rules == ["LIFE-2"])
    }

    @Test("[LIFE-2] Lint reports a shutdown while a request runs")
    func shutdownDuringRequest() async throws {
        let entered = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        let server = RogueServer { _ in
            entered.continuation.yield()
            for await _ in release.stream { break }
            return .text("ok")
        }
        let running = Task { try await server.respond(to: lintRequest()) }
        for await _ in entered.stream { break }
        await server.lint.shutdown()
        release.continuation.yield()
        _ = try await running.value
        #expect(server.log.rules == ["LIFE-2"])
    }

    @Test("[LIFE-2] Lint rejects a request after shutdown")
    func requestAfterShutdown() async throws {
        let server = RogueServer()
        await server.lint.shutdown()
        await #expect(throws: LintViolation.self) { _ = try await server.respond(to: lintRequest()) }
        #expect(server.log.rules == ["LIFE-2"])
    }

    @Test("a linted request the server never completes is freed with everything Lint keeps for it (found by LeakSanitizer)")
    func freedWithoutCompletion() async throws {
        weak var context: RequestContext?
        do {
            // The body producer holds the request, as an application's often does.
            let server = RogueServer { request in
                Response(
                    headers: ["Content-Type": "text/plain"],
                    body: .stream { writer in
                        try await writer.write(request.target)
                    })
            }
            let request = lintRequest()
            context = request.context
            let response = try await server.respond(to: request)
            try await server.runBody(of: response, for: request)
            #expect(context != nil)
        }
        // Nothing completed the request: its hooks were never run, and so never let go.
        #expect(context == nil)
    }
}

/// A writer whose server completes the request on the first body write, too early.
struct CompletingWriter: ResponseBodyWriter {
    let request: Request

    func write(_ bytes: [UInt8]) async throws {
        await request.context.complete(with: Completion(status: .ok, bodyBytesSent: bytes.count, error: nil))
    }

    func flush() async throws {}

    func finish(trailers: Headers?) async throws {}
}
