// Reading a whole response: status, fields, body, trailers, interim responses, outcome.

import Sluice
import SluiceTesting
import Testing

@Suite("Reading a response")
struct ResponseReadingTests {
    @Test("status, fields and body as bytes and text")
    func basics() async throws {
        let app = App { _ in .text("héllo", status: .created) }
        let response = try await TestClient(app).get("/").send()
        #expect(response.status == .created)
        #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(response.body == Array("héllo".utf8))
        #expect(response.text == "héllo")
        #expect(response.trailers == nil)
        #expect(response.completion.succeeded)
        #expect(response.completion.bodyBytesSent == 6)
    }

    @Test("[RESP-13] repeated fields reach the client separately, in order")
    func repeatedFields() async throws {
        let app = App { _ in
            Response(headers: Headers([("Set-Cookie", "a=1"), ("Content-Type", "text/plain"), ("Set-Cookie", "b=2")]), body: "x")
        }
        let response = try await TestClient(app).get("/").send()
        #expect(response.headers.values(for: "Set-Cookie") == ["a=1", "b=2"])
        #expect(response.headers.map(\.name) == ["Set-Cookie", "Content-Type", "Set-Cookie", "Content-Length"])
    }

    @Test("[RESP-5] the server adds Content-Length for a body of known length")
    func contentLengthAdded() async throws {
        let response = try await TestClient(App { _ in .text("four") }).get("/").send()
        #expect(response.headers["Content-Length"] == "4")
    }

    @Test("[RESP-6] HEAD gets the head, Content-Length included, and no body")
    func head() async throws {
        let ran = Box(false)
        let app = App { _ in
            Response(
                headers: ["Content-Type": "text/plain"],
                body: .stream(length: 5) { writer in
                    ran.value = true
                    try await writer.write("hello")
                })
        }
        let response = try await TestClient(app).head("/").send()
        #expect(response.status == .ok)
        #expect(response.headers["Content-Length"] == "5")
        #expect(response.body.isEmpty)
        #expect(!ran.value)
    }

    @Test("[RESP-7] a 204 carries no body and the body is not run")
    func noContent() async throws {
        let ran = Box(false)
        let app = App { _ in
            Response(status: .noContent, body: .stream { _ in ran.value = true })
        }
        let response = try await TestClient(app).delete("/item").send()
        #expect(response.status == .noContent)
        #expect(response.body.isEmpty)
        #expect(!ran.value)
    }

    @Test("[RESP-11] trailers reach the client")
    func trailers() async throws {
        let app = App { _ in
            Response(
                headers: ["Content-Type": "text/plain", "Trailer": "X-Checksum"],
                body: .stream { writer in
                    try await writer.write("abc")
                    try await writer.finish(trailers: Headers([("X-Checksum", "sum-1"), ("X-Checksum", "sum-2")]))
                })
        }
        let response = try await TestClient(app).get("/").send()
        #expect(response.text == "abc")
        #expect(response.trailers?.values(for: "X-Checksum") == ["sum-1", "sum-2"])
    }

    @Test("[RESP-12] informational responses arrive before the head, in order")
    func informational() async throws {
        let app = App { _ in
            try await RequestContext.current?.sendInformational(status: .earlyHints, headers: ["Link": "</a.css>; rel=preload"])
            try await RequestContext.current?.sendInformational(status: .earlyHints, headers: ["Link": "</b.js>; rel=preload"])
            return .text("page")
        }
        let response = try await TestClient(app).get("/").send()
        #expect(
            response.informational == [
                InformationalResponse(status: .earlyHints, headers: ["Link": "</a.css>; rel=preload"]),
                InformationalResponse(status: .earlyHints, headers: ["Link": "</b.js>; rel=preload"]),
            ])
        #expect(response.text == "page")
    }

    @Test("[RESP-12] an informational response after the final head is dropped")
    func informationalAfterHead() async throws {
        let app = App { _ in
            .streamed { writer in
                try await RequestContext.current?.sendInformational(status: .earlyHints, headers: [:])
                try await writer.write("late")
            }
        }
        let response = try await TestClient(app).get("/").send()
        #expect(response.informational.isEmpty)
        #expect(response.text == "late")
    }

    @Test("[ERR-1] an application that throws gets a 500 without details, and the error is logged")
    func applicationThrows() async throws {
        struct Secret: Error, CustomStringConvertible { var description: String { "secret detail" } }
        let response = try await TestClient(App { _ in throw Secret() }).get("/boom").send()
        #expect(response.status == .internalServerError)
        #expect(!response.text.contains("secret"))
        #expect(response.loggedErrors.contains { $0.contains("secret detail") })
    }

    @Test("[ERR-2] a body that fails after the head ends the response abnormally")
    func bodyFails() async throws {
        struct Broken: Error {}
        let app = App { _ in
            .streamed { writer in
                try await writer.write("partial")
                try await writer.flush()
                throw Broken()
            }
        }
        let response = try await TestClient(app).get("/").send()
        #expect(response.status == .ok)
        #expect(response.text == "partial")
        #expect(response.completion.error is Broken)
        #expect(response.trailers == nil)
    }

    @Test("[LIFE-3] completion hooks run once, last registered first, before the response is returned")
    func completionHooks() async throws {
        let order = Box<[String]>([])
        let app = App { request in
            request.onCompletion { _ in order.update { $0.append("first") } }
            request.onCompletion { completion in order.update { $0.append("second \(completion.status?.code ?? 0)") } }
            return .text("ok")
        }
        let response = try await TestClient(app).get("/").send()
        #expect(order.value == ["second 200", "first"])
        #expect(response.completion.status == .ok)
    }

    @Test("[LIFE-1] [LIFE-2] serving starts the application before requests and stops it after")
    func serving() async throws {
        let events = Box<[String]>([])
        let app = App(
            startup: { events.update { $0.append("startup") } },
            shutdown: { events.update { $0.append("shutdown") } }
        ) { _ in
            events.update { $0.append("request") }
            return .text("ok")
        }
        try await TestClient.serving(app) { client in
            _ = try await client.get("/").send()
        }
        #expect(events.value == ["startup", "request", "shutdown"])
    }
}
