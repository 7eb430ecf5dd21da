// Errors as responses: problem+json (RFC 9457), 422 with field errors, handlers by status and type.

import Sluice
import SluiceTesting
import SluiceToolkit
import Testing

@Suite("Errors as responses")
struct ErrorHandlersTests {
    struct Teapot: Error {}
    struct Secret: Error, CustomStringConvertible { var description: String { "the database password is hunter2" } }

    @Test("an HTTPError is problem+json with its status, title, detail, type and headers")
    func problemDetails() async throws {
        let app = App { _ in
            throw HTTPError(.forbidden, detail: "not \"yours\"\n", type: "https://example.com/probs/owner", headers: ["X-Why": "owner"])
        }.answeringErrors()
        let response = try await TestClient(app).get("/").send()
        #expect(response.status == .forbidden)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(response.headers["X-Why"] == "owner")
        #expect(response.text == #"{"type":"https://example.com/probs/owner","title":"Forbidden","status":403,"detail":"not \"yours\"\n"}"# + "\n")
    }

    @Test("422 carries an error for each field, sorted by name")
    func fieldErrors() async throws {
        let app = App { _ in throw HTTPError.invalid(["title": "is required", "body": "is too long"]) }.answeringErrors()
        let response = try await TestClient(app).get("/").send()
        #expect(response.status == .unprocessableContent)
        #expect(response.text.contains(#""errors":{"body":"is too long","title":"is required"}"#))
    }

    @Test("[ERR-1] an unexpected error is a 500 that says nothing of it, logged once")
    func unexpected() async throws {
        let app = App { _ in throw Secret() }.answeringErrors()
        let response = try await TestClient(app).get("/").send()
        #expect(response.status == .internalServerError)
        #expect(!response.text.contains("hunter2"))
        #expect(response.loggedErrors.count == 1)
        #expect(response.loggedErrors.first?.contains("hunter2") == true)
    }

    @Test("request bodies too large or cut short are 413 and 400")
    func bodyErrors() async throws {
        let app = App { request in .text("\(try await request.body.collect(upTo: 3).count)") }.answeringErrors()
        #expect(try await TestClient(app).post("/").body("four").send().status == .contentTooLarge)
    }

    @Test("handlers by type come first, then by status; a handler's own error propagates")
    func registered() async throws {
        var router = Router()
        router.get("/teapot") { _ in throw Teapot() }
        router.get("/gone") { _ in throw HTTPError(.notFound) }
        router.errorHandlers.handle(Teapot.self) { _, _ in .text("short and stout", status: 418) }
        router.errorHandlers.handle(.notFound) { request, error in .text("no \(request.path) (\(error.status.code))", status: .notFound) }
        let client = TestClient(router)
        #expect(try await client.get("/teapot").send().text == "short and stout")
        #expect(try await client.get("/gone").send().text == "no /gone (404)")
        #expect(try await client.get("/unrouted").send().text == "no /unrouted (404)")
    }

    @Test("a blueprint's handlers answer its own routes' errors before the application's")
    func blueprintHandlers() async throws {
        var api = Router()
        api.get("/fail") { _ in throw Teapot() }
        api.errorHandlers.handle(Teapot.self) { _, _ in .text("api", status: 418) }
        var app = Router()
        app.get("/fail") { _ in throw Teapot() }
        app.mount("/api", api)
        app.errorHandlers.handle(Teapot.self) { _, _ in .text("app", status: 418) }
        let client = TestClient(app)
        #expect(try await client.get("/api/fail").send().text == "api")
        #expect(try await client.get("/fail").send().text == "app")
    }

    @Test("[LIFE-4] a client that went away is not answered: the disconnection propagates")
    func disconnection() async throws {
        let handlers = ErrorHandlers()
        let request = Request(method: .get, target: "/", pathInfo: "/")
        await #expect(throws: ClientDisconnected.self) { try await handlers.response(for: ClientDisconnected(), to: request) }
        await #expect(throws: CancellationError.self) { try await handlers.response(for: CancellationError(), to: request) }
    }

    @Test("a status without a body gets no problem body")
    func bodiless() {
        #expect(HTTPError(.notModified).response.body.length == 0)
    }
}
