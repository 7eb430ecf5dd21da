// Fuzz harness: what a forged session cookie reaches before a key is tried — the split
// into payload, time and signature, base64url, and the payload's form (compiled with
// SluiceSessions' Base64.swift and SessionCookieFormat.swift; HMAC is swift-crypto's own).
// Invariants: base64 decoding is canonical (re-encodes to its input); limits hold.
// Module under test: SluiceToolkit
// Also compiled: Sources/SluiceSessions/Base64.swift Sources/SluiceSessions/SessionCookieFormat.swift

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSessionCookie(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for alphabet in [Base64.Alphabet.url, .standard] {
        if let bytes = Base64.decode(text, alphabet: alphabet) {
            precondition(Base64.encode(bytes, alphabet: alphabet) == text, "base64 decoding is not canonical")
        }
    }
    if let cookie = SessionCookieFormat(text, maxBytes: 4096) {
        precondition(cookie.signature.count == 32 && cookie.issued >= 0, "a malformed cookie was split")
        precondition(cookie.signed.count < text.utf8.count, "the signed part is not a prefix")
        if let values = cookie.values(maxBytes: 4096) {
            precondition(values.count <= 1000, "more values than the field limit")
        }
    }
    return 0
}
