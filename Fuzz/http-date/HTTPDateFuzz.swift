// Fuzz harness: HTTP dates in all three forms.
// Invariant: a date that parses formats to an IMF-fixdate that parses to the same time.
// Module under test: SluiceToolkit

import SluiceToolkit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPDate(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let seconds = HTTPDate.parse(text) {
        precondition(HTTPDate.parse(HTTPDate.format(seconds)) == seconds, "a parsed date does not round-trip")
    }
    return 0
}
