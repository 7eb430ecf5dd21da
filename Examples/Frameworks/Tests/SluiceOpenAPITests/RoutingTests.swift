// SluiceTransport's routing: templates, path parameters, 404, 405 with Allow, HEAD, the mount.

import HTTPTypes
import OpenAPIRuntime
import Sluice
import SluiceOpenAPI
import SluiceTesting
import Testing

@Suite("SluiceTransport routing")
struct RoutingTests {
    /// A transport whose handlers answer with their own name and path parameters.
    static func transport(_ operations: [(HTTPRequest.Method, String)]) throws -> SluiceTransport {
        let transport = SluiceTransport()
        for (method, path) in operations {
            try transport.register(
                { request, _, metadata in
                    let parameters = metadata.pathParameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                    let text = "\(method.rawValue) \(path) \(parameters.joined(separator: ",")) \(request.path ?? "")"
                    return (HTTPResponse(status: .ok, headerFields: [.contentType: "text/plain"]), HTTPBody(text))
                }, method: method, path: path)
        }
        return transport
    }

    static let todos: [(HTTPRequest.Method, String)] = [
        (.get, "/todos"), (.post, "/todos"), (.get, "/todos/{id}"), (.delete, "/todos/{id}"), (.get, "/todos/mine"),
    ]

    @Test("a request reaches the operation of its method and path, with the target below the mount")
    func match() async throws {
        let client = TestClient(try Self.transport(Self.todos))
        #expect(try await client.get("/todos?done=true").send().text == "GET /todos  /todos?done=true")
        #expect(try await client.post("/todos").body("{}").send().text == "POST /todos  /todos")
    }

    @Test("path parameters reach the handler still percent-encoded, for the runtime to decode once")
    func pathParameters() async throws {
        let client = TestClient(try Self.transport(Self.todos))
        #expect(try await client.get("/todos/7").send().text == "GET /todos/{id} id=7 /todos/7")
        #expect(try await client.delete("/todos/a%2Fb%25").send().text == "DELETE /todos/{id} id=a%2Fb%25 /todos/a%2Fb%25")
    }

    @Test("a literal segment beats a parameter, whatever the order of registration", arguments: [false, true])
    func literalFirst(reversed: Bool) async throws {
        let client = TestClient(try Self.transport(reversed ? Self.todos.reversed() : Self.todos))
        #expect(try await client.get("/todos/mine").send().text == "GET /todos/mine  /todos/mine")
        // The literal path has no DELETE: the template's DELETE answers.
        #expect(try await client.delete("/todos/mine").send().text == "DELETE /todos/{id} id=mine /todos/mine")
    }

    @Test("literal segments match in any encoding")
    func encodedLiteral() async throws {
        let client = TestClient(try Self.transport(Self.todos))
        #expect(try await client.get("/t%6Fdos").send().status == .ok)
    }

    @Test("[APP-1] no template matches: 404", arguments: ["/", "/todo", "/todos/", "/todos/7/x", "//todos", "/todos//"])
    func notFound(target: String) async throws {
        let response = try await TestClient(try Self.transport(Self.todos)).get(target).send()
        #expect(response.status == .notFound)
    }

    @Test("a method the path does not offer: 405 with Allow")
    func methodNotAllowed() async throws {
        let client = TestClient(try Self.transport(Self.todos))
        let response = try await client.put("/todos").send()
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET, HEAD, POST")
        let member = try await client.request("PATCH", "/todos/7").send()
        #expect(member.status == .methodNotAllowed)
        #expect(member.headers["Allow"] == "DELETE, GET, HEAD")
    }

    @Test("[RESP-6] HEAD runs the GET operation and sends its head alone")
    func head() async throws {
        let response = try await TestClient(try Self.transport(Self.todos)).head("/todos/7").send()
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == "text/plain")
        #expect(response.body.isEmpty)
    }

    @Test("[MOUNT-2] mounted at /api, the routes written for / still match")
    func mounted() async throws {
        let client = TestClient(try Self.transport(Self.todos))
        #expect(try await client.get("/api/todos/7").mounted(at: "/api").send().text == "GET /todos/{id} id=7 /todos/7")
        let site = Mount(["/api": try Self.transport(Self.todos)])
        #expect(try await TestClient(site).get("/api/todos/mine?x=1").send().text == "GET /todos/mine  /todos/mine?x=1")
        #expect(try await TestClient(site).get("/todos/7").send().status == .notFound)
    }

    @Test("a server URL with a path registers its operations below it")
    func serverURLPrefix() async throws {
        let client = TestClient(try Self.transport([(.get, "/v1/todos/{id}")]))
        #expect(try await client.get("/v1/todos/3").send().text == "GET /v1/todos/{id} id=3 /v1/todos/3")
    }

    @Test("an operation registered twice, or a path it cannot match, fails at registration")
    func registrationErrors() throws {
        #expect(throws: SluiceTransportError.duplicateOperation(method: "GET", path: "/todos")) {
            try Self.transport([(.get, "/todos"), (.get, "/todos")])
        }
        #expect(throws: SluiceTransportError.invalidPath("{name}.json")) {
            try Self.transport([(.get, "/files/{name}.json")])
        }
        #expect(throws: SluiceTransportError.invalidPath("todos")) {
            try Self.transport([(.get, "todos")])
        }
    }
}
