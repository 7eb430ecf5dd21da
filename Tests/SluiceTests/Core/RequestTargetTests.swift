import GatewayTestSupport
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

    @Test(
        "[REQ-4] [REQ-15] a dot segment behind %2F and a control character are refused, raw or escaped",
        arguments: [
            ("/app/%2e%2e%2f%2e%2e%2fetc/passwd", UnsafePath.dotSegmentBehindEncodedSlash),
            ("/app/..%2f..%2fetc/passwd", .dotSegmentBehindEncodedSlash),
            ("/a%2F.", .dotSegmentBehindEncodedSlash),
            ("/a/%2F..", .dotSegmentBehindEncodedSlash),
            ("/a%2Fb/..", .dotSegmentBehindEncodedSlash),
            ("/x/a%2fb/%2e%2e/c", .dotSegmentBehindEncodedSlash),
            ("/x%00y", .controlCharacter(0x00)),
            ("/x/%0d%0aSet-Cookie:%20a", .controlCharacter(0x0D)),
            ("/x%1F", .controlCharacter(0x1F)),
            ("/x%7f", .controlCharacter(0x7F)),
            ("/x\u{1}y", .controlCharacter(0x01)),
            ("/x\u{7f}", .controlCharacter(0x7F)),
        ]
    )
    func refused(raw: String, reason: UnsafePath) {
        #expect(throws: reason) { try RequestTarget(raw).checkedDecodedPath() }
    }

    @Test(
        "[REQ-4] [REQ-15] escaped slashes, escaped escapes and dots that touch no escaped slash are accepted",
        arguments: [
            ("/a%2Fb", "/a/b"),
            ("/a%2Fb/./c", "/a/b/c"),
            ("/x/../a%2Fb", "/a/b"),
            ("/a%2F", "/a/"),
            ("/%252e%252e%252f", "/%2e%2e%2f"),
            ("/x/%2e%2E/y", "/y"),
            ("/%C3%A9%09", nil),
            ("/a%2Fb?x=%00", "/a/b"),
        ] as [(String, String?)]
    )
    func accepted(raw: String, decoded: String?) throws {
        if let decoded {
            #expect(try RequestTarget(raw).checkedDecodedPath() == decoded)
        } else {
            // A tab is a control character too.
            #expect(throws: UnsafePath.controlCharacter(0x09)) { try RequestTarget(raw).checkedDecodedPath() }
        }
    }

    @Test(
        "[REQ-4] [REQ-15] 20,000 generated targets: an accepted path has no dot segment and no control character, and names what a front server that decodes first names"
    )
    func generatedTargets() {
        var generator = SeededGenerator(seed: 0x5EED_0415)
        var accepted = 0
        for _ in 0..<20_000 {
            let target = HostilePaths.target(using: &generator)
            guard let path = try? RequestTarget(target).checkedDecodedPath() else { continue }
            accepted += 1
            #expect(HostilePaths.isSafe(path), "\(String(reflecting: target)) gave \(String(reflecting: path))")
            #expect(
                path == HostilePaths.decodedFirst(target),
                "\(String(reflecting: target)): \(String(reflecting: path)) is not \(String(reflecting: HostilePaths.decodedFirst(target)))")
            #expect(path == RequestTarget(target).decodedPath)
        }
        // The generator must exercise both outcomes.
        #expect(accepted > 2_000 && accepted < 18_000, "\(accepted) of 20,000 accepted")
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
