import InMemoryTracing
import Sluice
import SluiceTesting
import SluiceTracing
import Testing
import Tracing

@Suite("Tracing")
struct TracingTests {
    struct Failure: Error {}

    static let app = App { request in
        switch request.path {
        case "/fail": throw Failure()
        default: return .text("hello")
        }
    }

    @Test("a request gets a server span with OpenTelemetry's HTTP attributes")
    func spanAttributes() async throws {
        let tracer = InMemoryTracer()
        let client = TestClient(Self.app.wrapped(by: .tracing(tracer)))
        _ = try await client.get("/hello?x=1").header("User-Agent", "curl/8.0").remote(address: "192.0.2.5", port: 4000).send()
        let span = try #require(tracer.finishedSpans.first)
        #expect(tracer.finishedSpans.count == 1)
        #expect(span.operationName == "GET")
        #expect(span.kind == .server)
        #expect(span.attributes["http.request.method"]?.toSpanAttribute() == "GET")
        #expect(span.attributes["url.path"]?.toSpanAttribute() == "/hello")
        #expect(span.attributes["url.query"]?.toSpanAttribute() == "x=1")
        #expect(span.attributes["client.address"]?.toSpanAttribute() == "192.0.2.5")
        #expect(span.attributes["client.port"]?.toSpanAttribute() == 4000)
        #expect(span.attributes["user_agent.original"]?.toSpanAttribute() == "curl/8.0")
        #expect(span.attributes["http.response.status_code"]?.toSpanAttribute() == 200)
        #expect(span.attributes["http.response.body.size"]?.toSpanAttribute() == 5)
        #expect(span.status == nil)
        #expect(span.parentSpanID == nil)
    }

    @Test("the W3C traceparent of the request is continued: same trace, the caller's span as parent")
    func traceparentContinued() async throws {
        let tracer = W3CInMemoryTracer()
        let client = TestClient(Self.app.wrapped(by: .tracing(tracer)))
        let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        _ = try await client.get("/").header("traceparent", traceparent).send()
        let span = try #require(tracer.inner.finishedSpans.first)
        #expect(span.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(span.parentSpanID == "00f067aa0ba902b7")
        // A malformed traceparent starts a new trace.
        tracer.inner.clearFinishedSpans()
        _ = try await client.get("/").header("traceparent", "00-zz-\(String(repeating: "9", count: 5000))-01").send()
        #expect(try #require(tracer.inner.finishedSpans.first).parentSpanID == nil)
    }

    @Test("spans the application starts are children of the request's span")
    func childSpans() async throws {
        let tracer = InMemoryTracer()
        let app = App { _ in
            tracer.withSpan("child") { _ in }
            return .text("child")
        }
        _ = try await TestClient(app.wrapped(by: .tracing(tracer))).get("/child").send()
        let spans = tracer.finishedSpans
        let parent = try #require(spans.first { $0.operationName == "GET" })
        let child = try #require(spans.first { $0.operationName == "child" })
        #expect(child.parentSpanID == parent.spanID)
        #expect(child.traceID == parent.traceID)
    }

    @Test("an application error is recorded and sets the status to error; so does a 5xx")
    func errorsRecorded() async throws {
        let tracer = InMemoryTracer()
        _ = try await TestClient(Self.app.wrapped(by: .tracing(tracer))).get("/fail").send()
        let span = try #require(tracer.finishedSpans.first)
        #expect(span.errors.count == 1)
        #expect(span.errors.first?.error is Failure)
        #expect(span.status?.code == .error)
        #expect(span.attributes["http.response.status_code"]?.toSpanAttribute() == 500)
    }

    @Test("the span ends when a streamed body ends, after respond returned")
    func endsAfterStream() async throws {
        let tracer = InMemoryTracer()
        let app = App { _ in
            Response(
                body: .stream { writer in
                    try await Task.sleep(for: .milliseconds(30))
                    try await writer.write("late")
                })
        }
        _ = try await TestClient(app.wrapped(by: .tracing(tracer))).get("/").send()
        let span = try #require(tracer.finishedSpans.first)
        #expect(span.attributes["http.response.body.size"]?.toSpanAttribute() == 4)
        let started = span.startInstant.nanosecondsSinceEpoch
        let ended = span.endInstant.nanosecondsSinceEpoch
        #expect(ended - started >= 30_000_000)
    }
}
