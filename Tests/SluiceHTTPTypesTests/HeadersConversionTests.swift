// Headers ↔ HTTPFields: nothing joined, split, reordered or respelled.

import HTTPTypes
import Sluice
import SluiceHTTPTypes
import Testing

@Suite("Headers and HTTPFields")
struct HeadersConversionTests {
    /// Fields that a lossy conversion would damage: repeats, mixed case, list-like values, UTF-8.
    static let tricky = Headers([
        ("Set-Cookie", "a=1; Path=/; HttpOnly"),
        ("x-dup", "first"),
        ("Content-Type", "text/html; charset=utf-8"),
        ("Set-Cookie", "b=2, c=3"),
        ("X-DUP", "second"),
        ("Cookie", "k=v; l=w"),
        ("cookie", "m=n"),
        ("X-Unicode", "naïve café — ✓"),
        ("x-Mixed-CASE", "inner\ttabs and  spaces"),
        ("X-Empty", ""),
    ])

    @Test("[REQ-6] [RESP-13] a round trip keeps every field, repeat, spelling and position")
    func roundTrip() throws {
        let fields = try HTTPFields(Self.tricky)
        #expect(fields.count == Self.tricky.count)
        #expect(fields.map(\.name.rawName) == Self.tricky.map(\.name))
        #expect(fields.map(\.value) == Self.tricky.map(\.value))
        #expect(Headers(fields) == Self.tricky)
    }

    @Test("[RESP-13] repeated Set-Cookie and Cookie fields stay separate in HTTPFields")
    func cookiesNotMerged() throws {
        let fields = try HTTPFields(Self.tricky)
        #expect(fields[fields: .setCookie].map(\.value) == ["a=1; Path=/; HttpOnly", "b=2, c=3"])
        #expect(fields[fields: .cookie].map(\.value) == ["k=v; l=w", "m=n"])
        // Only the name subscript joins, and only when read.
        #expect(fields[.cookie] == "k=v; l=w; m=n")
    }

    @Test("[REQ-7] a name HTTPTypes rejects fails the conversion, naming the field")
    func invalidName() {
        for name in ["Bad Name", "", "X:Colon", ":path", "Ünicode"] {
            #expect(throws: HTTPTypesConversionError.invalidFieldName(name)) {
                try HTTPFields(Headers([("Good", "1"), (name, "v")]))
            }
        }
    }

    @Test("[SEC-2] a value HTTPTypes would rewrite fails the conversion instead")
    func invalidValue() {
        for value in ["line\r\nInjected: yes", "nul\u{0}", " leading", "trailing ", "del\u{7F}"] {
            #expect(throws: HTTPTypesConversionError.invalidFieldValue(name: "X-Bad", value: value)) {
                try HTTPFields(Headers([("X-Bad", value)]))
            }
        }
    }

    @Test("more fields than HTTPFields holds fail rather than trap")
    func tooManyFields() {
        let many = Headers(Array(repeating: ("X", "1"), count: Int(UInt16.max)))
        #expect(throws: HTTPTypesConversionError.tooManyFields(count: Int(UInt16.max))) {
            try HTTPFields(many)
        }
    }
}
