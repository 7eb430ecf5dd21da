// Routing: templates, 404, 405 with Allow, HEAD by GET, blueprints with Mount, reverse routing.

import Sluice
import SluiceTesting
import SluiceToolkit
import Synchronization
import Testing

@Suite("The router")
struct RouterTests {
    static var notes: Router {
        var notes = Router()
        notes.get("/", name: "notes") { _ in .text("list") }
        notes.post("/") { request in
            var response = Response.text("created", status: .created)
            response.headers["Location"] = try request.url(for: "note", ["id": 7])
            return response
        }
        notes.get("/:id", name: "note") { request in
            let id = try request.parameters.require("id", as: Int.self)
            return .text("note \(id) at \(request.scriptName) \(request.pathInfo)")
        }
        notes.delete("/:id") { _ in Response(status: .noContent) }
        notes.get("/:id/tags/:tag") { request in .text("\(request.parameters["id"]!) \(request.parameters["tag"]!)") }
        return notes
    }

    static var app: Router {
        var app = Router()
        app.get("/") { request in .text("home; notes at \(try request.url(for: "notes"))") }
        app.get("/users/me") { _ in .text("me") }
        app.get("/users/:name") { request in .text("user \(request.parameters["name"]!)") }
        app.get("/files/*path", name: "file") { request in .text("file [\(request.parameters["path"]!)]") }
        app.mount("/notes", notes)
        return app
    }

    @Test("literals, parameters (decoded), literals before parameters, and catch-alls")
    func matching() async throws {
        let client = TestClient(Self.app)
        #expect(try await client.get("/").send().text == "home; notes at /notes")
        #expect(try await client.get("/users/me").send().text == "me")
        #expect(try await client.get("/users/ada%20l").send().text == "user ada l")
        #expect(try await client.get("/files/a/b/c.txt").send().text == "file [a/b/c.txt]")
        #expect(try await client.get("/files").send().text == "file []")
        #expect(try await client.get("/notes/3/tags/x").send().text == "3 x")
    }

    @Test("segments end at every / byte, even where a combining mark follows it (one Character with the /)")
    func combiningMarkAfterSlash() async throws {
        let client = TestClient(Self.app)
        #expect(try await client.get("/users/%D7%87x").send().text == "user \u{5C7}x")
        #expect(try await client.get("/files/%D7%87/a").send().text == "file [\u{5C7}/a]")
        #expect(try await client.get("/notes/1/tags/%CC%81").send().text == "1 \u{301}")
    }

    @Test("a trailing slash is ignored; empty segments and unknown paths are 404 problem+json")
    func notFound() async throws {
        let client = TestClient(Self.app)
        #expect(try await client.get("/users/me/").send().text == "me")
        #expect(try await client.get("/notes").send().text == "list")
        #expect(try await client.get("/notes/").send().text == "list")
        for path in ["/nowhere", "/users", "/users//me", "/users/me/more", "/notes/abc", "/notes/1/tags"] {
            let response = try await client.get(path).send()
            #expect(response.status == .notFound, "\(path)")
            #expect(response.headers["Content-Type"] == "application/problem+json")
        }
    }

    @Test("a path without the method is 405 with Allow (HEAD with GET); HEAD is answered by GET")
    func methods() async throws {
        let client = TestClient(Self.app)
        let refused = try await client.put("/notes").send()
        #expect(refused.status == .methodNotAllowed)
        #expect(refused.headers["Allow"] == "GET, HEAD, POST")
        #expect(try await client.post("/notes/1").send().headers["Allow"] == "DELETE, GET, HEAD")
        let head = try await client.head("/notes/1").send()
        #expect(head.status == .ok)
        #expect(head.body.isEmpty)
        #expect(head.headers["Content-Length"] == String("note 1 at /notes /1".utf8.count))
    }

    @Test("[MOUNT-2] a blueprint sees its own paths, with its prefix in scriptName")
    func blueprintPaths() async throws {
        #expect(try await TestClient(Self.app).get("/notes/5").send().text == "note 5 at /notes /5")
    }

    @Test("[MOUNT-1][MOUNT-2] a router mounted with Mount builds its URLs below its mount point")
    func composesWithMount() async throws {
        let site = Mount(["/api": Self.app])
        let client = TestClient(site)
        #expect(try await client.get("/api/notes/5").send().text == "note 5 at /api/notes /5")
        #expect(try await client.post("/api/notes").send().headers["Location"] == "/api/notes/7")
        #expect(try await client.get("/api").send().text == "home; notes at /api/notes")
        let testMounted = try await TestClient(Self.app).get("/x/notes/5").mounted(at: "/x").send()
        #expect(testMounted.text == "note 5 at /x/notes /5")
    }

    @Test("reverse routing encodes values, and fails clearly for unknown names and missing values")
    func reverseRouting() async throws {
        var router = Router()
        router.get("/files/*path", name: "file") { _ in .text("") }
        router.get("/users/:name", name: "user") { _ in .text("") }
        router.get("/probe") { request in
            var lines = [try request.url(for: "user", ["name": "a b/c?"]), try request.url(for: "file", ["path": "x y/z"])]
            for attempt in [{ try request.url(for: "nope") }, { try request.url(for: "user") }] {
                do { _ = try attempt() } catch { lines.append("\(error)") }
            }
            return .text(lines.joined(separator: "\n"))
        }
        let text = try await TestClient(Mount(["/my app": router])).get("/my%20app/probe").send().text
        #expect(text == "/my%20app/users/a%20b%2Fc%3F\n/my%20app/files/x%20y/z\nno route is named nope\nthe route needs a value for its parameter name")
        let outside = Request(method: .get, target: "/", pathInfo: "/")
        #expect(throws: RoutingError.notRouted) { try outside.url(for: "user") }
    }

    @Test("blueprints nest, with parameters in their prefix; names and hooks come along")
    func nestedBlueprints() async throws {
        let log = Mutex<[String]>([])
        var tags = Router()
        tags.before { _ in log.withLock { $0.append("tags") } }
        tags.get("/:tag", name: "tag") { request in
            .text(
                "\(request.parameters["user"]!) \(request.parameters["tag"]!) \(request.scriptName) \(try request.url(for: "tag", ["user": "u", "tag": "t"]))")
        }
        var users = Router()
        users.before { _ in log.withLock { $0.append("users") } }
        users.mount("/:user/tags", tags)
        var app = Router()
        app.before { _ in log.withLock { $0.append("app") } }
        app.mount("/users", users)
        #expect(try await TestClient(app).get("/users/ada/tags/red").send().text == "ada red /users/ada/tags /users/u/tags/t")
        #expect(log.withLock { $0 } == ["app", "users", "tags"])
    }

    @Test("a hook that throws answers instead of the handler")
    func hookRefuses() async throws {
        var router = Router()
        router.before { request in
            guard request.headers["Authorization"] != nil else { throw HTTPError(.unauthorized, detail: "sign in") }
        }
        router.get("/") { _ in .text("secret") }
        let client = TestClient(router)
        #expect(try await client.get("/").send().status == .unauthorized)
        #expect(try await client.get("/").header("Authorization", "x").send().text == "secret")
    }

    @Test("[MOUNT-4] a mounted application gets the rest of the path, every method, and the router's lifecycle")
    func mountedApplication() async throws {
        let events = Mutex<[String]>([])
        let inner = App(startup: { events.withLock { $0.append("start") } }, shutdown: { events.withLock { $0.append("stop") } }) { request in
            .text("\(request.method) \(request.scriptName)|\(request.pathInfo)")
        }
        var router = Router()
        router.mount("/legacy", inner)
        try await TestClient.serving(router) { client async throws in
            #expect(try await client.post("/legacy/a/b").send().text == "POST /legacy|/a/b")
            #expect(try await client.get("/legacy").send().text == "GET /legacy|")
            #expect(try await client.get("/legacyx").send().status == .notFound)
        }
        #expect(events.withLock { $0 } == ["start", "stop"])
    }

    @Test("a route is matched among 100 in the same way as alone")
    func manyRoutes() async throws {
        var router = Router()
        for resource in 0..<20 {
            router.get("/r\(resource)") { _ in .text("list \(resource)") }
            router.get("/r\(resource)/:id") { request in .text("item \(resource) \(request.parameters["id"]!)") }
            router.put("/r\(resource)/:id") { _ in .text("put") }
            router.get("/r\(resource)/:id/children") { _ in .text("children \(resource)") }
            router.get("/r\(resource)/:id/children/:child") { request in .text("child \(request.parameters["child"]!)") }
        }
        let client = TestClient(router)
        #expect(try await client.get("/r19/42").send().text == "item 19 42")
        #expect(try await client.get("/r7/1/children/9").send().text == "child 9")
        #expect(try await client.get("/r20").send().status == .notFound)
    }
}
