// HummingbirdApp's requests: the router sees the path below the mount, the context what Sluice knows.

import FrameworkTestSupport
import Hummingbird
import Logging
import Sluice
import SluiceHummingbird
import SluiceTesting
import Testing

@Suite("HummingbirdApp requests")
struct RoutingTests {
    /// A router with a parameter route, a query route and a route describing its context.
    static func app() -> HummingbirdApp<RouterResponder<SluiceRequestContext>> {
        let router = Router(context: SluiceRequestContext.self)
        router.get("/hello/:name") { _, context in
            "Hello, \(try context.parameters.require("name"))!"
        }
        router.get("/search") { request, _ in
            "q=\(request.uri.queryParameters["q"] ?? "-") path=\(request.uri.path)"
        }
        router.get("/context") { _, context in
            let sluice = context.sluiceRequest
            return "\(sluice.scriptName) \(sluice.pathInfo) \(context.remoteAddress.map { "\($0)" } ?? "none") \(context.id.isEmpty ? "" : "id")"
        }
        return HummingbirdApp(router)
    }

    @Test("a route with a parameter")
    func parameter() async throws {
        let response = try await TestClient(Self.app()).get("/hello/Ada").send()
        #expect(response.status == .ok)
        #expect(response.text == "Hello, Ada!")
        #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
    }

    @Test("the query reaches the router with the path")
    func query() async throws {
        #expect(try await TestClient(Self.app()).get("/search?q=swift&x=1").send().text == "q=swift path=/search")
    }

    @Test("[MOUNT-2] under /app the router written for / still matches, and sees /")
    func mounted() async throws {
        let client = TestClient(Self.app())
        #expect(try await client.get("/app/hello/Ada").mounted(at: "/app").send().text == "Hello, Ada!")
        #expect(try await client.get("/app/search?q=1").mounted(at: "/app").send().text == "q=1 path=/search")
        let site = Mount(["/app": Self.app()])
        #expect(try await TestClient(site).get("/app/hello/Bo").send().text == "Hello, Bo!")
    }

    @Test("[REQ-10] the context carries the Sluice request, the client's address and a request id")
    func context() async throws {
        let response = try await TestClient(Self.app()).get("/app/context").mounted(at: "/app").remote(address: "192.0.2.7", port: 4321).send()
        #expect(response.text == "/app /context [IPv4]192.0.2.7:4321 id")
    }

    @Test("[APP-1] no route: Hummingbird's 404")
    func notFound() async throws {
        let response = try await TestClient(Self.app()).get("/nowhere").send()
        #expect(response.status == .notFound)
    }

    @Test("[RESP-6] HEAD of a GET route with autoGenerateHeadEndpoints: the head alone")
    func head() async throws {
        let router = Router(context: SluiceRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.get("/text") { _, _ in "some text" }
        let response = try await TestClient(HummingbirdApp(router)).head("/text").send()
        #expect(response.status == .ok)
        #expect(response.headers["Content-Length"] == "9")
        #expect(response.body.isEmpty)
    }

    /// A context of the application's own, as Hummingbird apps define them.
    struct AppContext: Hummingbird.RequestContext {
        typealias Source = SluiceRequestContextSource
        var coreContext: CoreRequestContextStorage
        let remote: String
        init(source: Source) {
            coreContext = .init(source: source)
            remote = source.sluiceRequest.remoteAddress
        }
    }

    @Test("a context of the application's own, made from SluiceRequestContextSource")
    func ownContext() async throws {
        let router = Router(context: AppContext.self)
        router.get("/") { _, context in context.remote }
        #expect(try await TestClient(HummingbirdApp(router)).get("/").remote(address: "198.51.100.1").send().text == "198.51.100.1")
    }

    /// A router whose one route writes to `context.logger` with `log`, then answers "ok".
    static func logging(_ log: @escaping @Sendable (Logger) -> Void) -> Router<SluiceRequestContext> {
        let router = Router(context: SluiceRequestContext.self)
        router.get("/") { _, context in
            log(context.logger)
            return "ok"
        }
        return router
    }

    @Test("[REQ-13] context.logger writes to the request's error log, with the request id")
    func logger() async throws {
        let router = Self.logging { logger in
            logger.info("looked up", metadata: ["book": "7"])
            logger.debug("not written: below info")
        }
        let response = try await TestClient(HummingbirdApp(router)).get("/").send()
        let line = try #require(response.loggedErrors.first)
        #expect(response.loggedErrors.count == 1)
        #expect(line.hasPrefix("hummingbird info: looked up book=7 hb.request.id="))
    }

    @Test("[REQ-13] the error log's level is the application's to set")
    func logLevel() async throws {
        let router = Self.logging { $0.debug("a detail") }
        let response = try await TestClient(HummingbirdApp(router, logLevel: .debug)).get("/").send()
        #expect(response.loggedErrors.count == 1)
        #expect(response.loggedErrors.first?.hasPrefix("hummingbird debug: a detail") == true)
    }

    @Test("a logger the application gives replaces the error log")
    func givenLogger() async throws {
        let router = Self.logging { $0.error("to the given logger") }
        let response = try await TestClient(HummingbirdApp(router, logger: Logger(label: "given") { _ in SwiftLogNoOpLogHandler() })).get("/").send()
        #expect(response.loggedErrors.isEmpty)
    }
}
