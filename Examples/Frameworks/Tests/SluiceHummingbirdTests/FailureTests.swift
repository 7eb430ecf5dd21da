// What HummingbirdApp answers when something fails: as the router says, or as the server would.

import FrameworkTestSupport
import Hummingbird
import Sluice
import SluiceHummingbird
import SluiceTesting
import Testing

@Suite("HummingbirdApp failures")
struct FailureTests {
    struct Broken: Error {}
    struct Item: Decodable {
        var name: String
    }

    /// A router whose routes fail in each way a handler can.
    static let app: HummingbirdApp<RouterResponder<SluiceRequestContext>> = {
        let router = Router(context: SluiceRequestContext.self)
        router.get("/broken") { _, _ -> String in throw Broken() }
        router.get("/missing") { _, _ -> String in throw HTTPError(.notFound, message: "no such thing") }
        router.post("/items") { request, context in
            try await request.decode(as: Item.self, context: context).name
        }
        return HummingbirdApp(router)
    }()

    @Test("[ERR-1] a handler's plain error: 500, logged, the server goes on")
    func plainError() async throws {
        let response = try await TestClient(Self.app).get("/broken").send()
        #expect(response.status == .internalServerError)
        #expect(response.loggedErrors.contains { $0.contains("Broken") })
        #expect(try await TestClient(Self.app).post("/items").body(#"{"name":"ok"}"#).send().text == "ok")
    }

    @Test("an HTTPError is answered by the router as on Hummingbird's server")
    func httpError() async throws {
        let response = try await TestClient(Self.app).get("/missing").send()
        #expect(response.status == .notFound)
        #expect(response.text.contains("no such thing"))
    }

    @Test("[ERR-3] a malformed JSON body: 400", arguments: ["{", #"{"name": 7}"#, "[]", ""])
    func malformedBody(body: String) async throws {
        let response = try await TestClient(Self.app).post("/items").body(body).send()
        #expect(response.status == .badRequest)
    }

    @Test("[ERR-3] a body over the context's maxUploadSize: Hummingbird's 413")
    func overUploadSize() async throws {
        let big = #"{"name":""# + String(repeating: "x", count: 3 << 20) + #""}"#
        let response = try await TestClient(Self.app).post("/items").body(big).send()
        #expect(response.status == .contentTooLarge)
    }

    @Test("[ERR-3] a body over the server's limit: 413, as without the bridge")
    func overServerLimit() async throws {
        let response = try await TestClient(Self.app.readingFailingBodies(.tooLarge(limit: 10))).post("/items").body("{}").send()
        #expect(response.status == .contentTooLarge)
    }

    @Test("[ERR-3] [BODY-4] a truncated body: 400, as without the bridge")
    func truncated() async throws {
        let app = Self.app.readingFailingBodies(.truncated(expected: 10, received: 2))
        let response = try await TestClient(app).post("/items").body("{}").send()
        #expect(response.status == .badRequest)
    }

    @Test("[LIFE-3] [LIFE-4] a client that goes away cancels the handler, and completion hooks run")
    func disconnect() async throws {
        let started = Signal<Void>()
        let completed = Signal<Completion>()
        let router = Router(context: SluiceRequestContext.self)
        router.get("/slow") { _, context -> String in
            context.sluiceRequest.onCompletion { completed.send($0) }
            started.send()
            try await Task.sleep(for: .seconds(600))
            return "too late"
        }
        let request = Task { try await TestClient(HummingbirdApp(router)).get("/slow").send() }
        await started.next()
        request.cancel()
        let completion = try #require(await completed.next())
        #expect(completion.clientDisconnected)
    }

    @Test("[LIFE-4] a client that goes away mid-body ends the body's writes")
    func disconnectMidBody() async throws {
        let ended = Signal<any Error>()
        let router = Router(context: SluiceRequestContext.self)
        router.get("/forever") { _, _ in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    do {
                        while true {
                            try await writer.write(ByteBuffer(string: "more\n"))
                        }
                    } catch {
                        ended.send(error)
                        throw error
                    }
                })
        }
        try await TestClient(HummingbirdApp(router)).get("/forever").stream { response in
            var body = response.body.makeAsyncIterator()
            _ = try await body.next()
            response.disconnect()
            #expect(await response.completion().clientDisconnected)
        }
        #expect(await ended.next() is ClientDisconnected)
    }
}
