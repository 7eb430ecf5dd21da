// How the suite writes repeatable probe options into a query (Spec/probe.md §2).

import Testing

@testable import SluiceConformance

@Suite("Probe options in the query")
struct ProbeQueryTests {
    @Test("[REQ-5] options are probe-name=value pairs, every byte but unreserved ones percent-encoded")
    func encodes() {
        let query = probeQuery([("header", "Set-Cookie: a=1; Path=/"), ("header", "X-Split: a\r\nX: 1"), ("early-hint", "</é.css>")])
        #expect(query == "?probe-header=Set-Cookie%3A%20a%3D1%3B%20Path%3D%2F&probe-header=X-Split%3A%20a%0D%0AX%3A%201&probe-early-hint=%3C%2F%C3%A9.css%3E")
    }

    @Test("the pattern and digest match the probe's: byte i is a + i mod 26; FNV-1a 64")
    func patternAndDigest() {
        #expect(String(decoding: pattern(28), as: UTF8.self) == "abcdefghijklmnopqrstuvwxyzab")
        #expect(fnv1a64([]) == "cbf29ce484222325")
        #expect(fnv1a64(Array("a".utf8)) == "af63dc4c8601ec8c")
        #expect(String(decoding: chunked([Array("hello".utf8)], trailers: [("X-T", "1")]), as: UTF8.self) == "5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n")
    }
}
