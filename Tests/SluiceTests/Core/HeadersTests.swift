import Sluice
import Testing

@Suite("Headers")
struct HeadersTests {
    @Test("[REQ-6] fields keep their order, case and repeats")
    func keepsOrderCaseAndRepeats() {
        let headers: Headers = ["X-Dup": "one", "accept": "*/*", "x-dup": "two"]
        #expect(headers.map(\.name) == ["X-Dup", "accept", "x-dup"])
        #expect(headers.values(for: "X-DUP") == ["one", "two"])
        #expect(headers["X-Dup"] == "one")
    }

    @Test("[RESP-13] repeated Set-Cookie fields stay separate")
    func setCookieStaysSeparate() {
        var headers = Headers()
        headers.append(name: "Set-Cookie", value: "a=1")
        headers.append(name: "Set-Cookie", value: "b=2")
        #expect(headers.count == 2)
        #expect(headers.values(for: "set-cookie") == ["a=1", "b=2"])
    }

    @Test("combined values join with a comma, cookies with a semicolon")
    func combinedValues() {
        let headers: Headers = ["Cookie": "a=1", "Accept": "x", "cookie": "b=2", "ACCEPT": "y"]
        #expect(headers.combinedValue(for: "Cookie") == "a=1; b=2")
        #expect(headers.combinedValue(for: "accept") == "x, y")
        #expect(headers.combinedValue(for: "Missing") == nil)
    }

    @Test("setting a value replaces every field of that name in place")
    func subscriptSetReplaces() {
        var headers: Headers = ["A": "1", "B": "2", "a": "3"]
        headers["a"] = "9"
        #expect(headers.fields == [.init(name: "A", value: "9"), .init(name: "B", value: "2")])
        headers["b"] = nil
        #expect(headers.count == 1)
        headers["C"] = "new"
        #expect(headers.map(\.name) == ["A", "C"])
    }
}
