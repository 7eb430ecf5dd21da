import Logging
import Sluice
import SluiceMiddleware
import SluiceTesting
import Testing

@Suite("Request id")
struct RequestIDTests {
    /// Echoes the id the application sees, in context and in its request's field.
    static let echo = App { request in
        .text("\(request.requestID ?? "none") \(RequestID.current ?? "none") \(request.headers["X-Request-ID"] ?? "none")")
    }

    @Test("an acceptable id from the front server is kept, seen by the application and returned")
    func keptFromHeader() async throws {
        let client = TestClient(Self.echo.wrapped(by: .requestID()))
        let response = try await client.get("/").header("X-Request-ID", "abc-123").send()
        #expect(response.text == "abc-123 abc-123 abc-123")
        #expect(response.headers["X-Request-ID"] == "abc-123")
    }

    @Test("an id is made when absent: 32 hexadecimal digits, new for each request")
    func madeWhenAbsent() async throws {
        let client = TestClient(Self.echo.wrapped(by: .requestID()))
        let first = try #require(try await client.get("/").send().headers["X-Request-ID"])
        let second = try #require(try await client.get("/").send().headers["X-Request-ID"])
        #expect(first.wholeMatch(of: #/[0-9a-f]{32}/#) != nil)
        #expect(first != second)
        let seen = try await client.get("/").send()
        let id = try #require(seen.headers["X-Request-ID"])
        #expect(seen.text == "\(id) \(id) \(id)")
    }

    @Test("ids made from many threads at once are all different, and all 32 lowercase hexadecimal digits")
    func madeIDsAreUnique() async {
        let batches = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<25_000).map { _ in RequestID.make() } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let ids = batches.flatMap { $0 }
        #expect(Set(ids).count == 200_000)
        #expect(ids.allSatisfy { $0.utf8.count == 32 && $0.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) } })
    }

    @Test("the field's name is configurable, and the application's own value is replaced")
    func configurableName() async throws {
        let app = App { _ in Response(headers: ["Trace-Id": "from-app"], body: "x") }
        let response = try await TestClient(app.wrapped(by: .requestID(header: "Trace-Id"))).get("/").header("trace-id", "t1").send()
        #expect(response.headers.values(for: "Trace-Id") == ["t1"])
    }

    @Test(
        "overlong, empty, duplicated, spaced, quoted or non-ASCII ids are replaced, never passed on",
        arguments: [
            [String(repeating: "a", count: RequestID.maximumLength + 1)], [""], ["a b"], ["a\"b"], ["a\\b"], ["é"], ["\u{7F}"], ["one", "two"],
        ])
    func hostileIDsReplaced(values: [String]) async throws {
        var request = TestClient(Self.echo.wrapped(by: .requestID())).get("/")
        for value in values { request = request.header("X-Request-ID", value) }
        let response = try await request.send()
        let id = try #require(response.headers["X-Request-ID"])
        #expect(id.wholeMatch(of: #/[0-9a-f]{32}/#) != nil)
        #expect(response.text == "\(id) \(id) \(id)")
    }

    @Test("[HTTP-5] a local redirect stays a lone Location field, for the server to follow")
    func localRedirectLeftAlone() async throws {
        let app = App { _ in .localRedirect(to: "/elsewhere") }.wrapped(by: .requestID())
        let response = try await app.respond(to: Request(method: .get, target: "/", pathInfo: "/"))
        #expect(response.isLocalRedirect)
    }

    @Test("the longest acceptable id is kept")
    func longestKept() async throws {
        let longest = String(repeating: "z", count: RequestID.maximumLength)
        let response = try await TestClient(Self.echo.wrapped(by: .requestID())).get("/").header("X-Request-ID", longest).send()
        #expect(response.headers["X-Request-ID"] == longest)
    }

    @Test("swift-log's metadata provider adds the id to lines logged during the request")
    func metadataProvider() async throws {
        let seen = App { _ in
            .text(RequestID.metadataProvider.get()["request_id"]?.description ?? "none")
        }
        let response = try await TestClient(seen.wrapped(by: .requestID())).get("/").header("X-Request-ID", "r-1").send()
        #expect(response.text == "r-1")
        #expect(RequestID.metadataProvider.get().isEmpty)
    }
}
