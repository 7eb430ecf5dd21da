// Query strings and URL-encoded forms: the WHATWG rules, strictness, and limits tried ±1.

import Sluice
import SluiceTesting
import SluiceToolkit
import Testing

@Suite("Query strings and URL-encoded forms")
struct FormFieldsTests {
    @Test("fields keep their order and repeats; + is a space and %XX a byte")
    func decoding() throws {
        let fields = try FormFields(parsing: "tag=a&tag=b+c&name=J%C3%BCrgen&empty=&bare&&=novalue&eq=a=b")
        #expect(fields.map(\.name) == ["tag", "tag", "name", "empty", "bare", "", "eq"])
        #expect(fields.values(for: "tag") == ["a", "b c"])
        #expect(fields["name"] == "Jürgen")
        #expect(fields["empty"] == "")
        #expect(fields["bare"] == "")
        #expect(fields["eq"] == "a=b")
        #expect(fields["missing"] == nil)
        #expect(try FormFields(parsing: "").isEmpty)
        #expect(try FormFields(parsing: "%2B=%26")["+"] == "&")
    }

    @Test("encoding round-trips, with space as + and everything else escaped")
    func encoding() throws {
        let fields: FormFields = ["q": "a b&c=d", "ü": "*-._~"]
        #expect(fields.encoded == "q=a+b%26c%3Dd&%C3%BC=*-._%7E")
        #expect(try FormFields(parsing: fields.encoded) == fields)
    }

    @Test("malformed escapes and bytes that are not UTF-8 are 400", arguments: ["a=%", "a=%4", "a=%zz", "%g1=x", "a=%FF", "a=%C3", "a=%C3%28"])
    func malformed(query: String) {
        #expect(throws: HTTPError.self) { try FormFields(parsing: query) }
        let error = try? #require(throws: HTTPError.self) { try FormFields(parsing: query) }
        #expect(error?.status == .badRequest)
    }

    @Test("the field limit: at it passes, one over is 400 before more is read")
    func fieldLimit() throws {
        let limits = FormLimits(maxFields: 3)
        #expect(try FormFields(parsing: "a&b&c", limits: limits).count == 3)
        #expect(try FormFields(parsing: "a&&b&c&", limits: limits).count == 3)
        let error = try #require(throws: HTTPError.self) { try FormFields(parsing: "a&b&c&d", limits: limits) }
        #expect(error.status == .badRequest)
    }

    @Test("the byte limit: at it passes, one over is 400")
    func byteLimit() throws {
        let limits = FormLimits(maxBytes: 5)
        #expect(try FormFields(parsing: "a=bcd", limits: limits)["a"] == "bcd")
        #expect(throws: HTTPError.self) { try FormFields(parsing: "a=bcde", limits: limits) }
    }

    @Test("a flood of parameters is refused with a bounded cost (CVE-2025-46727)")
    func flood() throws {
        let flood = String(repeating: "a&", count: 200_000)
        let error = try #require(throws: HTTPError.self) { try FormFields(parsing: flood, limits: FormLimits(maxBytes: 1 << 30)) }
        #expect(error.detail?.contains("1000 fields") == true)
    }

    @Test("request.query() parses the query string; a malformed one is a problem+json 400 under answeringErrors")
    func requestQuery() async throws {
        let app = App { request in
            let query = try request.query()
            return .text(query.values(for: "x").joined(separator: ","))
        }.answeringErrors()
        let client = TestClient(app)
        #expect(try await client.get("/?x=1&x=2").send().text == "1,2")
        let bad = try await client.get("/?x=%zz").send()
        #expect(bad.status == .badRequest)
        #expect(bad.headers["Content-Type"] == "application/problem+json")
    }

    @Test("request.form() reads a URL-encoded body; 415 for another type, 413 past the byte or field limit")
    func urlEncodedBody() async throws {
        let app = App { request in
            let form = try await request.form(limits: FormLimits(maxFields: 2, maxBytes: 16))
            return .text("\(form["name"] ?? "-") \(form.files.count)")
        }.answeringErrors()
        let client = TestClient(app)
        let form = "application/x-www-form-urlencoded"
        #expect(try await client.post("/").header("Content-Type", form).body("name=ada+l").send().text == "ada l 0")
        #expect(try await client.post("/").header("Content-Type", "text/plain").body("name=ada").send().status == .unsupportedMediaType)
        #expect(try await client.post("/").send().status == .unsupportedMediaType)
        #expect(try await client.post("/").header("Content-Type", form).body("name=0123456789a").send().status == .ok)
        #expect(try await client.post("/").header("Content-Type", form).body("name=0123456789ab").send().status == .contentTooLarge)
        #expect(try await client.post("/").header("Content-Type", form).body("a&b&c").send().status == .contentTooLarge)
        #expect(try await client.post("/").header("Content-Type", form).body("a=%").send().status == .badRequest)
    }
}
