// JSON in and out: 415, 413 and a 400 that says what is wrong; Encodable values with a status.

import Sluice
import SluiceJSON
import SluiceTesting
import SluiceToolkit
import Testing

@Suite("JSON bodies")
struct JSONTests {
    struct Note: Codable, Sendable, Equatable {
        var title: String
        var tags: [String]
        var pinned: Bool?
    }

    static let echo = App { request in
        try .json(try await request.decode(Note.self, limit: 64), status: .created, headers: ["Location": "/notes/1"])
    }.answeringErrors()

    static func post(_ body: String, type: String? = "application/json") async throws -> TestResponse {
        var request = TestClient(echo).post("/").body(body)
        if let type { request = request.header("Content-Type", type) }
        return try await request.send()
    }

    @Test("a body decodes into a Decodable, and a value encodes with its status and headers")
    func roundTrip() async throws {
        let response = try await Self.post(#"{"title": "a/b", "tags": ["x"]}"#)
        #expect(response.status == .created)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.headers["Location"] == "/notes/1")
        #expect(response.text.contains(#""title":"a/b""#))
        #expect(try await Self.post(#"{"title": "t", "tags": []}"#, type: "application/merge-patch+json; charset=utf-8").status == .created)
    }

    @Test("the wrong media type is 415", arguments: [nil, "text/plain", "application/x-www-form-urlencoded", "application/jsonx", "json"])
    func wrongType(type: String?) async throws {
        let response = try await Self.post(#"{"title": "t", "tags": []}"#, type: type)
        #expect(response.status == .unsupportedMediaType)
        #expect(response.headers["Content-Type"] == "application/problem+json")
    }

    @Test("a body past the limit is 413: at the limit passes, one byte over fails")
    func limit() async throws {
        let fits = #"{"title": "\#(String(repeating: "x", count: 39))", "tags": []}"#
        #expect(fits.utf8.count == 64)
        #expect(try await Self.post(fits).status == .created)
        #expect(try await Self.post(#"{"title": "\#(String(repeating: "x", count: 40))", "tags": []}"#).status == .contentTooLarge)
    }

    @Test(
        "invalid JSON, and JSON of the wrong shape, are 400 naming the problem",
        arguments: [
            ("", "the body is not valid JSON"),
            ("{", "the body is not valid JSON"),
            ("title=x", "the body is not valid JSON"),
            (#"{"tags": []}"#, "the field 'title' is missing"),
            (#"{"title": 5, "tags": []}"#, "the field 'title' must be a string"),
            (#"{"title": "t", "tags": [1]}"#, "the field 'tags[0]' must be a string"),
            (#"{"title": null, "tags": []}"#, "the field 'title' must be a string, not null"),
            (#"{"title": "t", "tags": [], "pinned": "yes"}"#, "the field 'pinned' must be true or false"),
            ("[]", "the field at the top level must be an object"),
        ])
    func malformed(body: String, detail: String) async throws {
        let response = try await Self.post(body)
        #expect(response.status == .badRequest)
        #expect(response.text.contains(#""detail":"\#(detail)""#), "\(response.text)")
    }
}
