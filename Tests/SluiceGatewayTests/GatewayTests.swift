import GatewayTestSupport
import Sluice
import SluiceGateway
import Synchronization
import Testing

@Suite("Gateway")
struct GatewayTests {
    struct Failure: Error {}

    static func run(
        _ app: some Application,
        method: Request.Method = .get,
        writer: RecordingWriter = RecordingWriter(),
        log: MessageLog = MessageLog()
    ) async -> (RecordingWriter, Completion) {
        let request = Request(method: method, target: "/x", pathInfo: "/x", errorLog: log.errorLog)
        let completion = await Gateway.respond(to: request, with: app, through: writer)
        return (writer, completion)
    }

    @Test("[RESP-1] the head is written once, then the body, then the end")
    func headThenBody() async {
        let (writer, completion) = await Self.run(App { _ in .text("hi") })
        #expect(writer.events == [.head(200), .body(Array("hi".utf8)), .finish(nil)])
        #expect(completion.succeeded)
        #expect(completion.bodyBytesSent == 2)
    }

    @Test("[ERR-1] an application that throws gets a 500 with no details, and the error is logged")
    func throwingApplication() async {
        let log = MessageLog()
        let (writer, completion) = await Self.run(App { _ in throw Failure() }, log: log)
        #expect(writer.statusCode == 500)
        #expect(writer.text == "500 Internal Server Error\n")
        #expect(completion.status?.code == 500)
        #expect(log.messages.count == 1)
        #expect(log.messages.first?.contains("Failure") == true)
    }

    @Test("[ERR-3] a body error escaping the application answers 400 (truncated) or 413 (too large)")
    func bodyErrorsMapToStatuses() async {
        let truncated = App { _ in throw RequestBodyError.truncated(expected: 10, received: 3) }
        #expect(await Self.run(truncated).0.statusCode == 400)
        let tooLarge = App { request in
            _ = try await request.body.collect(upTo: 1)
            return .text("unreachable")
        }
        let request = Request(method: .post, target: "/", pathInfo: "/", body: RequestBody(bytes: [1, 2, 3]), errorLog: .discarding)
        let writer = RecordingWriter()
        _ = await Gateway.respond(to: request, with: tooLarge, through: writer)
        #expect(writer.statusCode == 413)
    }

    @Test(
        "[SEC-2] a head with CR, LF or NUL in a field, a name or the reason phrase is replaced by a 500",
        arguments: [
            Response(headers: ["X-Injected": "a\r\nSet-Cookie: evil=1"], body: "x"),
            Response(headers: ["Bad Name": "v"], body: "x"),
            Response(headers: ["X-Nul": "a\u{0}b"], body: "x"),
            Response(status: .init(code: 200, reasonPhrase: "OK\r\nX-Evil: 1"), body: "x"),
        ])
    func injectionRefused(response: Response) async {
        let log = MessageLog()
        let (writer, completion) = await Self.run(App { _ in response }, log: log)
        #expect(writer.statusCode == 500)
        #expect(writer.headers?.contains { $0.value.contains("evil") || $0.name.contains(" ") } == false)
        #expect(completion.applicationError is InvalidResponseHead)
        #expect(log.messages.count == 1)
    }

    @Test("[RESP-2] a final status outside 200...599 is replaced by a 500", arguments: [100, 103, 199, 600, 99])
    func invalidFinalStatus(code: Int) async {
        let (writer, _) = await Self.run(App { _ in Response(status: .init(code: code), body: "x") })
        #expect(writer.statusCode == 500)
    }

    @Test("[RESP-3] hop-by-hop fields are removed; a Status field is refused")
    func hopByHopRemoved() async {
        let app = App { _ in Response(headers: ["Connection": "close", "Transfer-Encoding": "chunked", "X-Kept": "1"], body: "x") }
        let (writer, _) = await Self.run(app)
        #expect(writer.headers == ["X-Kept": "1", "Content-Length": "1"])
        let (refused, _) = await Self.run(App { _ in Response(headers: ["Status": "404"], body: "x") })
        #expect(refused.statusCode == 500)
    }

    @Test("[RESP-4] Content-Length must be one run of digits; repeats of one value collapse")
    func contentLengthGrammar() async {
        for bad in [["Content-Length": "+1"], ["Content-Length": "1", "content-length": "2"], ["Content-Length": ""]] as [Headers] {
            let (writer, _) = await Self.run(App { _ in Response(headers: bad, body: "x") })
            #expect(writer.statusCode == 500)
        }
        let (same, completion) = await Self.run(App { _ in Response(headers: ["Content-Length": "1", "Content-Length": "1"], body: "x") })
        #expect(same.headers?.values(for: "Content-Length") == ["1"])
        #expect(completion.succeeded)
    }

    @Test("[ERR-1] the completion carries the application's error although the 500 was delivered")
    func applicationErrorInCompletion() async {
        let (_, completion) = await Self.run(App { _ in throw Failure() })
        #expect(completion.error == nil)
        #expect(completion.applicationError is Failure)
    }

    @Test("[LIFE-3] the completion's start and duration cover a body that streams after respond returned")
    func durationCoversStreamedBody() async {
        let before = ContinuousClock.now
        let app = App { _ in
            Response(
                body: .stream { writer in
                    try await Task.sleep(for: .milliseconds(50))
                    try await writer.write("late")
                })
        }
        let (_, completion) = await Self.run(app)
        let after = ContinuousClock.now
        #expect(completion.startTime >= before && completion.startTime <= after)
        #expect(completion.duration >= .milliseconds(50))
        #expect(completion.startTime + completion.duration <= after)
    }

    @Test("[ERR-2] a body that throws after the head ends the response with an error")
    func throwingBody() async {
        let log = MessageLog()
        let app = App { _ in
            Response(
                body: .stream { writer in
                    try await writer.write("partial")
                    throw Failure()
                })
        }
        let (writer, completion) = await Self.run(app, log: log)
        #expect(writer.events == [.head(200), .body(Array("partial".utf8))])
        #expect(completion.error is Failure)
        #expect(completion.bodyBytesSent == 7)
        #expect(log.messages.count == 1)
    }

    @Test("[RESP-5] Content-Length is added for a body of known length, not for a stream")
    func contentLengthAdded() async {
        let (fixed, _) = await Self.run(App { _ in .text("four") })
        #expect(fixed.headers?["Content-Length"] == "4")
        let (streamed, _) = await Self.run(App { _ in Response(body: .stream { try await $0.write("x") }) })
        #expect(streamed.headers?["Content-Length"] == nil)
        let (explicit, _) = await Self.run(App { _ in Response(headers: ["Content-Length": "1"], body: .stream { try await $0.write("x") }) })
        #expect(explicit.headers?.values(for: "Content-Length") == ["1"])
    }

    @Test("[RESP-4] a body longer than its Content-Length fails")
    func bodyLongerThanDeclared() async {
        let app = App { _ in Response(headers: ["Content-Length": "2"], body: .stream { try await $0.write("three") }) }
        let (writer, completion) = await Self.run(app)
        #expect(completion.error as? ResponseBodyError == .longerThanDeclared(declared: 2))
        #expect(writer.body.isEmpty)
    }

    @Test("[RESP-4] a body shorter than its Content-Length fails")
    func bodyShorterThanDeclared() async {
        let app = App { _ in Response(headers: ["Content-Length": "10"], body: .stream { try await $0.write("abc") }) }
        let (_, completion) = await Self.run(app)
        #expect(completion.error as? ResponseBodyError == .shorterThanDeclared(declared: 10, written: 3))
    }

    @Test("[RESP-6] HEAD sends the GET head with Content-Length and never runs the body")
    func head() async {
        let ran = Mutex(false)
        let app = App { _ in
            Response(
                headers: ["Content-Type": "text/plain"],
                body: ResponseBody(length: 5) { writer in
                    ran.withLock { $0 = true }
                    try await writer.write("hello")
                })
        }
        let (writer, completion) = await Self.run(app, method: .head)
        #expect(writer.events == [.head(200), .finish(nil)])
        #expect(writer.headers?["Content-Length"] == "5")
        #expect(ran.withLock { $0 } == false)
        #expect(completion.succeeded)
    }

    @Test("[RESP-7] 204 and 304 send no body and no added Content-Length", arguments: [204, 304])
    func noBodyStatuses(code: Int) async {
        let app = App { _ in Response(status: .init(code: code), body: "ignored") }
        let (writer, _) = await Self.run(app)
        #expect(writer.events == [.head(code), .finish(nil)])
        #expect(writer.headers?["Content-Length"] == nil)
    }

    @Test("[RESP-9] flushes and trailers pass through in order")
    func flushAndTrailers() async {
        let app = App { _ in
            Response(
                body: .stream { writer in
                    try await writer.write("a")
                    try await writer.flush()
                    try await writer.write("b")
                    try await writer.finish(trailers: ["Digest": "x"])
                })
        }
        let (writer, completion) = await Self.run(app)
        #expect(writer.events == [.head(200), .body([97]), .flush, .body([98]), .finish(["Digest": "x"])])
        #expect(completion.succeeded)
    }

    @Test("[RESP-10] writing after finish fails")
    func writeAfterFinish() async {
        let app = App { _ in
            Response(
                body: .stream { writer in
                    try await writer.finish()
                    try await writer.write("late")
                })
        }
        let (_, completion) = await Self.run(app)
        #expect(completion.error as? ResponseBodyError == .writtenAfterFinish)
    }

    @Test("[RESP-14] a writer kept past its producer's return fails rather than writing")
    func writerAfterProducerReturned() async {
        let escaped = Mutex<(any ResponseBodyWriter)?>(nil)
        let app = App { _ in Response(body: .stream { writer in escaped.withLock { $0 = writer } }) }
        let (writer, completion) = await Self.run(app)
        #expect(completion.succeeded)
        let late = escaped.withLock { $0 }
        await #expect(throws: ResponseBodyError.writtenAfterFinish) { try await late?.write("late") }
        #expect(writer.body.isEmpty)
    }

    @Test("[RESP-12] informational responses go out before the head, and not after it")
    func informational() async {
        let app = App { request in
            try await request.context.sendInformational(status: .earlyHints, headers: ["Link": "</s.css>; rel=preload"])
            return Response(
                body: .stream { _ in
                    try await request.context.sendInformational(status: .earlyHints, headers: [:])
                })
        }
        let (writer, _) = await Self.run(app)
        #expect(writer.events == [.informational(103), .head(200), .finish(nil)])
    }

    @Test("[LIFE-3] completion hooks run once, last registered first, with the outcome")
    func completionHooks() async {
        let calls = Mutex<[String]>([])
        let app = App { request in
            request.onCompletion { completion in calls.withLock { $0.append("first \(completion.status?.code ?? 0)") } }
            request.onCompletion { completion in calls.withLock { $0.append("second \(completion.bodyBytesSent)") } }
            return .text("abc")
        }
        _ = await Self.run(app)
        #expect(calls.withLock { $0 } == ["second 3", "first 200"])
    }

    @Test("[LIFE-3] a hook registered after completion still runs, once")
    func lateHook() async throws {
        let request = Request(method: .get, target: "/", pathInfo: "/")
        _ = await Gateway.respond(to: request, with: App { _ in .text("x") }, through: RecordingWriter())
        let ran = Mutex(0)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            request.onCompletion { _ in
                ran.withLock { $0 += 1 }
                done.resume()
            }
        }
        #expect(ran.withLock { $0 } == 1)
        #expect(await request.context.complete(with: Completion(status: nil, bodyBytesSent: 0, error: nil)) == false)
    }

    @Test("[LIFE-4] a client that went away ends the body, and hooks still run with ClientDisconnected")
    func clientGone() async {
        let seen = Mutex<Completion?>(nil)
        let app = App { request in
            request.onCompletion { completion in seen.withLock { $0 = completion } }
            return Response(
                body: .stream { writer in
                    try await writer.write("a")
                })
        }
        let (_, completion) = await Self.run(app, writer: RecordingWriter(failing: ClientDisconnected()))
        #expect(completion.clientDisconnected)
        #expect(seen.withLock { $0?.clientDisconnected } == true)
    }

    @Test("[LIFE-4] cancelling the task cancels the application, and hooks still run")
    func cancellation() async {
        let hookRan = Mutex(false)
        let started = AsyncStream<Void>.makeStream()
        let app = App { request in
            request.onCompletion { completion in
                // The hook runs although the request's task was cancelled, and can still await.
                try? await Task.sleep(for: .milliseconds(1))
                hookRan.withLock { $0 = completion.clientDisconnected }
            }
            started.continuation.yield()
            try await Task.sleep(for: .seconds(60))
            return .text("never")
        }
        let task = Task { await Self.run(app) }
        for await _ in started.stream { break }
        task.cancel()
        let (writer, completion) = await task.value
        #expect(completion.clientDisconnected)
        #expect(writer.events.isEmpty)
        #expect(hookRan.withLock { $0 })
    }

    @Test("[APP-4] the request's context is current while the app runs and while its body streams")
    func currentContext() async {
        enum Marker: StorageKey { typealias Value = String }
        let app = App { request in
            request.context[Marker.self] = "set in respond"
            let during = RequestContext.current?[Marker.self] ?? "none"
            return Response(
                body: .stream { writer in
                    try await writer.write("\(during), \(RequestContext.current?[Marker.self] ?? "none")")
                })
        }
        let (writer, _) = await Self.run(app)
        #expect(writer.text == "set in respond, set in respond")
        #expect(RequestContext.current == nil)
    }
}
