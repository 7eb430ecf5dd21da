// The todo list API in-process: the generated server on SluiceTransport, through SluiceTesting.

import Foundation
import SluiceOpenAPI
import SluiceTesting
import Testing
import TodoAPI

@Suite("The todo list API, in-process")
struct TodoAPITests {
    /// A todo as the API sends it.
    struct Todo: Decodable, Equatable {
        var id: Int
        var title: String
        var done: Bool
    }

    /// A client for a new, empty todo list.
    static func client() throws -> TestClient {
        let transport = SluiceTransport()
        try TodoAPI().register(on: transport)
        return TestClient(transport)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ response: TestResponse) throws -> Value {
        try JSONDecoder().decode(type, from: Data(response.body))
    }

    @Test("a todo is created, read, listed, changed and deleted")
    func lifecycle() async throws {
        let client = try Self.client()
        let created = try await client.post("/todos").header("Content-Type", "application/json").body(#"{"title":"write docs"}"#).send()
        #expect(created.status == .created)
        #expect(created.headers["Content-Type"] == "application/json; charset=utf-8")
        #expect(try Self.decode(Todo.self, created) == Todo(id: 1, title: "write docs", done: false))

        #expect(try Self.decode(Todo.self, try await client.get("/todos/1").send()).title == "write docs")
        let changed = try await client.patch("/todos/1").header("Content-Type", "application/json").body(#"{"done":true}"#).send()
        #expect(try Self.decode(Todo.self, changed) == Todo(id: 1, title: "write docs", done: true))
        #expect(try Self.decode([Todo].self, try await client.get("/todos?done=true").send()).count == 1)
        #expect(try Self.decode([Todo].self, try await client.get("/todos?done=false").send()).isEmpty)

        #expect(try await client.delete("/todos/1").send().status == .noContent)
        let gone = try await client.get("/todos/1").send()
        #expect(gone.status == .notFound)
        #expect(gone.text == #"{"message":"no todo has the id 1"}"# || gone.text.contains("no todo has the id 1"))
    }

    @Test(
        "[ERR-3] requests the API cannot decode: 400",
        arguments: [
            ("POST", "/todos", #"{"title":"#),
            ("POST", "/todos", #"{"title":7}"#),
            ("POST", "/todos", #"{"title":"x","extra":1}"#),
            ("POST", "/todos", #"{"title":""}"#),
            ("POST", "/todos", #"{"title":"\#(String(repeating: "é", count: 201))"}"#),
            ("PATCH", "/todos/1", #"{"done":"yes"}"#),
        ])
    func undecodable(method: String, target: String, body: String) async throws {
        let client = try Self.client()
        _ = try await client.post("/todos").header("Content-Type", "application/json").body(#"{"title":"one"}"#).send()
        let response = try await client.request(.init(rawValue: method), target).header("Content-Type", "application/json").body(body).send()
        #expect(response.status == .badRequest)
    }

    @Test(
        "[ERR-3] parameters that are not what the document says: 400",
        arguments: [
            "/todos/abc", "/todos/1.5", "/todos/99999999999999999999", "/todos?done=maybe",
        ])
    func badParameters(target: String) async throws {
        #expect(try await Self.client().get(target).send().status == .badRequest)
    }

    /// Targets an attacker sends: broken escapes, NUL, dots, very long or very many segments.
    static let hostileTargets = [
        "/todos/%", "/todos/%zz", "/todos/%00", "/todos/%2e%2e", "/todos/..%2f..%2fetc", "/todos/1%2F2",
        "/todos/" + String(repeating: "9", count: 10_000), "/" + Array(repeating: "todos", count: 2_000).joined(separator: "/"),
        "/todos?done=%", "/todos?done=true&done=false", "/%F0%9F%92%A5", "/todos/1?" + String(repeating: "a=1&", count: 5_000),
    ]

    @Test("[ERR-3] hostile targets get 400 or 404, never a 5xx", arguments: Self.hostileTargets)
    func hostileTarget(target: String) async throws {
        let response = try await Self.client().get(target).send()
        #expect([200, 400, 404].contains(response.status.code), "\(response.status) \(response.text)")
    }

    @Test("a body of the wrong media type: 415, as the runtime says")
    func wrongMediaType() async throws {
        let response = try await Self.client().post("/todos").header("Content-Type", "text/plain").body("title").send()
        #expect(response.status.code == 415)
    }

    @Test("a title counts Unicode scalars, as JSON Schema does: 200 é are allowed")
    func titleLength() async throws {
        let title = String(repeating: "é", count: 200)
        let response = try await Self.client().post("/todos").header("Content-Type", "application/json").body(#"{"title":"\#(title)"}"#).send()
        #expect(response.status == .created)
    }

    @Test("no route: 404; a method the path lacks: 405 with Allow")
    func routing() async throws {
        let client = try Self.client()
        #expect(try await client.get("/todo").send().status == .notFound)
        let response = try await client.put("/todos/1").send()
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "DELETE, GET, HEAD, PATCH")
    }

    @Test("[MOUNT-2] mounted at /api, the API answers below it")
    func mounted() async throws {
        let response = try await Self.client().get("/api/todos").mounted(at: "/api").send()
        #expect(response.status == .ok)
        #expect(response.text == "[\n\n]" || response.text == "[]")
    }
}
