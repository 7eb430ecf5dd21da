// The notes API: CRUD, validation and the errors a JSON API owes its clients.

import Sluice
import SluiceTesting
import Testing

@Suite("The notes API")
struct NotesAPITests {
    @Test("[MOUNT-1][MOUNT-2] create, list, read, replace and delete a note through the mounted blueprint")
    func crud() async throws {
        try await withNotesApp { client in
            let token = try await client.register("ada")
            let created = try await client.post("/notes").authorized(token).json(#"{"title": " First ", "body": "hello"}"#).send()
            #expect(created.status == .created)
            #expect(created.headers["Location"] == "/notes/1")
            #expect(try json(created)["title"] as? String == "First")

            let list = try jsonArray(try await client.get("/notes").authorized(token).send())
            #expect(list.map { $0["title"] as? String } == ["First"])

            let read = try await client.get("/notes/1").authorized(token).send()
            #expect(try json(read)["body"] as? String == "hello")

            let replaced = try await client.put("/notes/1").authorized(token).json(#"{"title": "Second"}"#).send()
            #expect(replaced.status == .ok)
            #expect(try json(replaced)["title"] as? String == "Second")
            #expect(try json(replaced)["body"] as? String == "")

            let deleted = try await client.delete("/notes/1").authorized(token).send()
            #expect(deleted.status == .noContent)
            #expect(deleted.body.isEmpty)
            #expect(try await client.get("/notes/1").authorized(token).send().status == .notFound)
        }
    }

    @Test("[MOUNT-2] the whole app mounted below a prefix: links and locations include it")
    func mountedBelowPrefix() async throws {
        try await withNotesApp { client in
            let registered = try await client.post("/api/users").mounted(at: "/api").json(#"{"name": "ada"}"#).send()
            #expect(registered.headers["Location"] == "/api/users/1")
            let token = try #require(try json(registered)["token"] as? String)
            let created = try await client.post("/api/notes").mounted(at: "/api").authorized(token).json(#"{"title": "t"}"#).send()
            #expect(created.headers["Location"] == "/api/notes/1")
            let index = try json(try await client.get("/api").mounted(at: "/api").send())
            #expect(index["notes"] as? String == "/api/notes")
        }
    }

    @Test("invalid input is 422 with an error for each field")
    func fieldErrors() async throws {
        try await withNotesApp { client in
            let token = try await client.register("ada")
            let empty = try await client.post("/notes").authorized(token).json(#"{"title": "  "}"#).send()
            #expect(empty.status == .unprocessableContent)
            #expect(try json(empty)["errors"] as? [String: String] == ["title": "must not be empty"])

            let missing = try await client.put("/notes/1").authorized(token).json(#"{"body": "no title"}"#).send()
            #expect(missing.status == .unprocessableContent)
            #expect(try json(missing)["errors"] as? [String: String] == ["title": "is required"])

            let long = try await client.post("/notes").authorized(token)
                .json(#"{"title": "\#(String(repeating: "x", count: 201))"}"#).send()
            #expect(try json(long)["errors"] as? [String: String] == ["title": "must be at most 200 characters"])

            let nameless = try await client.post("/users").json(#"{"name": ""}"#).send()
            #expect(try json(nameless)["errors"] as? [String: String] == ["name": "must not be empty"])

            let notJSON = try await client.post("/notes").authorized(token).json("title=x").send()
            #expect(notJSON.status == .badRequest)
        }
    }

    @Test("unknown ids, malformed ids and other users' notes are 404")
    func notFound() async throws {
        try await withNotesApp { client in
            let ada = try await client.register("ada")
            let bob = try await client.register("bob")
            _ = try await client.post("/notes").authorized(ada).json(#"{"title": "ada's"}"#).send()
            #expect(try await client.get("/notes/1").authorized(bob).send().status == .notFound)
            #expect(try await client.delete("/notes/1").authorized(bob).send().status == .notFound)
            #expect(try await client.get("/notes/99").authorized(ada).send().status == .notFound)
            #expect(try await client.get("/notes/abc").authorized(ada).send().status == .notFound)
            #expect(try await client.get("/notes/1/more").authorized(ada).send().status == .notFound)
            #expect(try await client.get("/elsewhere").send().status == .notFound)
            #expect(try await client.get("/5").send().status == .notFound)
            #expect(try await client.get("/users/me/5").authorized(ada).send().status == .notFound)
            let missing = try await client.get("/users/42").send()
            #expect(missing.headers["Content-Type"] == "application/problem+json")
            #expect(try json(missing)["title"] as? String == "Not Found")
        }
    }

    @Test("a method the path does not offer is 405 with Allow")
    func methodNotAllowed() async throws {
        try await withNotesApp { client in
            let token = try await client.register("ada")
            let collection = try await client.delete("/notes").authorized(token).send()
            #expect(collection.status == .methodNotAllowed)
            #expect(collection.headers["Allow"] == "GET, HEAD, POST")
            let item = try await client.post("/notes/1").authorized(token).send()
            #expect(item.headers["Allow"] == "DELETE, GET, HEAD, PUT")
        }
    }

    @Test("notes need a known user: 401 without a token or with an unknown one")
    func unauthorized() async throws {
        try await withNotesApp { client in
            #expect(try await client.get("/notes").send().status == .unauthorized)
            #expect(try await client.get("/notes").authorized("nobody").send().status == .unauthorized)
            let token = try await client.register("ada")
            let me = try await client.get("/users/me").authorized(token).send()
            #expect(try json(me)["name"] as? String == "ada")
        }
    }
}
