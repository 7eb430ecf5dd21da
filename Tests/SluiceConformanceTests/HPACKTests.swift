// The suite's HPACK, against the examples of RFC 7541 Appendix C (Spec H2-1: the client the
// HTTP/2 cases speak through).

import Testing

@testable import SluiceConformance

@Suite("The suite's HPACK")
struct HPACKTests {
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    @Test("[H2-1] RFC 7541 C.4: requests with Huffman coding and a dynamic table decode")
    func huffmanRequests() throws {
        var decoder = HPACKDecoder()
        let first = try decoder.decode(Self.bytes("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"))
        #expect(first.map { "\($0.0): \($0.1)" } == [":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com"])
        let second = try decoder.decode(Self.bytes("8286 84be 5886 a8eb 1064 9cbf"))
        #expect(second.map { "\($0.0): \($0.1)" } == [":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com", "cache-control: no-cache"])
    }

    @Test("[H2-1] RFC 7541 C.6: responses with Huffman coding and evictions decode")
    func huffmanResponses() throws {
        var decoder = HPACKDecoder()
        _ = try decoder.decode([0x3f, 0xe1, 0x01])  // a table size update to 256, as C.6 assumes
        let first = try decoder.decode(
            Self.bytes(
                """
                4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3
                """))
        #expect(first.map(\.1) == ["302", "private", "Mon, 21 Oct 2013 20:13:21 GMT", "https://www.example.com"])
        let second = try decoder.decode(Self.bytes("4883 640e ffc1 c0bf"))
        #expect(second.map(\.1) == ["307", "private", "Mon, 21 Oct 2013 20:13:21 GMT", "https://www.example.com"])
    }

    @Test("[H2-1] literals the encoder writes decode to the same fields; bad padding and indexes are refused")
    func roundTrip() throws {
        var decoder = HPACKDecoder()
        let fields = [(":method", "POST"), ("x-long", String(repeating: "v", count: 300)), ("cookie", "a=1")]
        #expect(try decoder.decode(HPACKEncoder.encode(fields)).map { "\($0.0)=\($0.1)" } == fields.map { "\($0.0)=\($0.1)" })
        #expect(throws: HPACKError.self) { try decoder.decode([0xff, 0x80, 0x01]) }
        #expect(HuffmanCode.decode([0x00]) == nil, "padding must be ones")
    }
}
