import GatewayTestSupport
import Sluice
import SluiceGateway
import Synchronization
import Testing

@Suite("Applications, middleware and configuration")
struct ApplicationTests {
    enum Greeting: StorageKey { typealias Value = String }

    /// An app factory: the same code, configured differently per instance.
    static func makeApp(greeting: String) -> any Application {
        App { request in
            let fromRequest = request.configuration[Greeting.self] ?? "?"
            return Response(
                body: .stream { writer in
                    try await writer.write("\(fromRequest) \(Configuration.current?[Greeting.self] ?? "?")")
                })
        }.configured(Configuration().setting(Greeting.self, to: greeting))
    }

    @Test("[APP-5] two apps with different configurations run side by side in one process")
    func configurationIsolation() async {
        let english = Self.makeApp(greeting: "hello")
        let french = Self.makeApp(greeting: "bonjour")
        let both = Mount(["/en": english, "/fr": french])
        async let en = Self.body(both, "/en/x")
        async let fr = Self.body(both, "/fr/x")
        #expect(await en == "hello hello")
        #expect(await fr == "bonjour bonjour")
        #expect(Configuration.current == nil)
    }

    static func body(_ app: some Application, _ path: String) async -> String {
        let writer = RecordingWriter()
        _ = await Gateway.respond(to: Request(method: .get, target: path, pathInfo: path), with: app, through: writer)
        return writer.text
    }

    @Test("[APP-3] middleware wraps in order, the first outermost, and forwards the lifecycle")
    func middlewareOrderAndLifecycle() async throws {
        let started = Mutex(0)
        let inner = App(startup: { started.withLock { $0 += 1 } }) { _ in .text("app") }
        func tag(_ name: String) -> Middleware {
            Middleware { request, next in
                var response = try await next.respond(to: request)
                response.headers.append(name: "X-Trace", value: name)
                return response
            }
        }
        let app = inner.wrapped(by: tag("outer"), tag("inner"))
        try await app.startup()
        #expect(started.withLock { $0 } == 1)
        let writer = RecordingWriter()
        _ = await Gateway.respond(to: Request(method: .get, target: "/", pathInfo: "/"), with: app, through: writer)
        #expect(writer.headers?.values(for: "X-Trace") == ["inner", "outer"])
    }

    @Test("[APP-1] a response body may stream after respond(to:) returned")
    func bodyStreamsAfterReturn() async {
        let returned = Mutex(false)
        let app = Middleware { request, next in
            let response = try await next.respond(to: request)
            returned.withLock { $0 = true }
            return response
        }(
            App { _ in
                Response(body: .stream { writer in try await writer.write(returned.withLock { $0 } ? "after" : "before") })
            })
        #expect(await Self.body(app, "/") == "after")
    }

    @Test("[APP-4] request storage is shared by copies and created lazily once")
    func lazyStorage() async {
        enum Handle: StorageKey { typealias Value = Int }
        let opened = Mutex(0)
        let request = Request(method: .get, target: "/", pathInfo: "/")
        let copy = request
        for _ in 0..<3 {
            _ = request.context.value(for: Handle.self) {
                opened.withLock {
                    $0 += 1
                    return $0
                }
            }
        }
        #expect(copy.context[Handle.self] == 1)
        #expect(opened.withLock { $0 } == 1)
    }

    @Test("[APP-6] storage is shared by the copies of one request and by no other request")
    func storagePerRequest() async {
        enum Visitor: StorageKey { typealias Value = String }
        let first = Request(method: .get, target: "/", pathInfo: "/")
        var copy = first
        copy.pathInfo = "/changed"
        first.context[Visitor.self] = "alice"
        #expect(copy.context[Visitor.self] == "alice")
        let second = Request(method: .get, target: "/", pathInfo: "/")
        #expect(second.context[Visitor.self] == nil)
    }

    @Test("[APP-6] value(for:default:) stores one value per key, even under concurrent first use")
    func lazyValueUnderConcurrency() async {
        enum Connection: StorageKey { typealias Value = Int }
        let request = Request(method: .get, target: "/", pathInfo: "/")
        let values = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<50 {
                group.addTask { request.context.value(for: Connection.self) { Int.random(in: 0...Int.max) } }
            }
            return await group.reduce(into: Set<Int>()) { $0.insert($1) }
        }
        #expect(values.count == 1)
    }
}
