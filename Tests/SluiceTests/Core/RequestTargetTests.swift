import Sluice
import Testing

@Suite("Request targets")
struct RequestTargetTests {
    @Test(
        "[REQ-4] the decoded path removes dot segments, decodes each segment, keeps empty ones",
        arguments: [
            ("/", "/"),
            ("", ""),
            ("/a/b", "/a/b"),
            ("/a/./b/../c//d%20e", "/a/c//d e"),
            ("/w%C3%B6rld%2Fx", "/wörld/x"),
            ("/a/%2e%2E/b", "/b"),
            ("/../../etc/passwd", "/etc/passwd"),
            ("/a/..", "/"),
            ("/a/.", "/a/"),
            ("/dir/", "/dir/"),
            ("//foo///bar/baz", "//foo///bar/baz"),
            ("/p%61th/", "/path/"),
            ("/100%", "/100%"),
            ("/%zz", "/%zz"),
            ("/%252c", "/%2c"),
        ]
    )
    func decodedPath(raw: String, decoded: String) {
        #expect(RequestTarget(raw).decodedPath == decoded)
    }

    @Test("[REQ-5] the query stays raw and excludes a fragment")
    func rawQuery() {
        let target = RequestTarget("/s?x=%20y+z&q=1&q=2#frag")
        #expect(target.query == "x=%20y+z&q=1&q=2")
        #expect(target.encodedPath == "/s")
        #expect(RequestTarget("/s").query == "")
        #expect(RequestTarget("/s?").query == "")
    }

    @Test("[REQ-4] percent-decoding replaces invalid UTF-8 rather than failing")
    func invalidUTF8() {
        #expect(percentDecoded("%80a") == "\u{FFFD}a")
        #expect(percentDecoded("plain") == "plain")
    }
}
