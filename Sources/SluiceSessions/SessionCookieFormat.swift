// The session cookie's layout, apart from its signature's cryptography: what a forged cookie
// reaches before any key is tried (and what Fuzz/session-cookie fuzzes without swift-crypto).

import SluiceToolkit

/// A session cookie value split into its three pieces: `payload.issued.signature`.
struct SessionCookieFormat {
    /// The bytes the signature covers: `payload.issued`.
    var signed: [UInt8]
    /// The base64url payload, still encoded.
    var payload: Substring
    /// When it was signed, in seconds since the epoch.
    var issued: Int
    /// The signature's bytes.
    var signature: [UInt8]

    /// Splits a cookie value; `nil` unless it is at most `maxBytes` long, has three pieces, a
    /// decimal time of at most 12 digits and a base64url signature of 32 bytes.
    init?(_ value: String, maxBytes: Int) {
        guard value.utf8.count <= maxBytes else { return nil }
        let pieces = value.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count == 3, (1...12).contains(pieces[1].utf8.count), pieces[1].utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let issued = Int(pieces[1]), let signature = Base64.decode(String(pieces[2]), alphabet: .url), signature.count == 32
        else { return nil }
        self.signed = Array(value.utf8.prefix(pieces[0].utf8.count + 1 + pieces[1].utf8.count))
        self.payload = pieces[0]
        self.issued = issued
        self.signature = signature
    }

    /// The values the payload holds, or `nil` when it is not base64url of a URL-encoded form.
    /// Only for a payload whose signature was verified.
    func values(maxBytes: Int) -> [String: String]? {
        guard let bytes = Base64.decode(String(payload), alphabet: .url), let text = String(validating: bytes, as: UTF8.self),
            let fields = try? FormFields(parsing: text, limits: FormLimits(maxBytes: maxBytes))
        else { return nil }
        var values: [String: String] = [:]
        for field in fields { values[field.name] = field.value }
        return values
    }
}
