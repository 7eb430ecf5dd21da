// Fuzz harness: application/x-www-form-urlencoded parsing (query strings, form bodies).
// Invariants: limits hold; whatever parses re-encodes to text that parses to the same fields.
// Module under test: SluiceToolkit

@testable import SluiceToolkit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormURLEncoded(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let limits = FormLimits(maxFields: 64, maxBytes: 4096)
    guard let fields = try? FormFields(parsing: text, limits: limits) else { return 0 }
    precondition(fields.count <= 64, "more fields than the limit")
    precondition(text.utf8.count <= 4096, "more bytes than the limit")
    let again = try? FormFields(parsing: fields.encoded, limits: FormLimits(maxFields: 64, maxBytes: 1 << 20))
    precondition(again == fields, "encoding does not round-trip")
    return 0
}
