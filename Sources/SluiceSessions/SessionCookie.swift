// The session cookie's value: the session's fields, when they were signed, and the signature.

import Crypto
import SluiceToolkit

/// Signs and verifies session cookie values of the form `payload.issued.signature`:
/// `payload` the session's values URL-encoded then base64url-encoded, `issued` the signing
/// time in seconds since the epoch, `signature` the base64url HMAC-SHA256 of the two.
struct SessionCookie {
    var keys: [SessionKey]
    var maxAge: Int
    var maxBytes: Int

    /// The cookie value holding `values`, signed at `now` with the first key.
    func sign(_ values: [String: String], now: Int) -> String {
        let fields = FormFields(values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        let signed = Base64.encode(Array(fields.encoded.utf8), alphabet: .url) + "." + String(now)
        let signature = HMAC<SHA256>.authenticationCode(for: Array(signed.utf8), using: keys[0].key)
        return signed + "." + Base64.encode(Array(signature), alphabet: .url)
    }

    /// The values and signing time in a cookie value, or `nil` when it is too long, malformed,
    /// signed by no listed key, signed in the future, or older than ``maxAge``.
    func verify(_ value: String, now: Int) -> (values: [String: String], issued: Int)? {
        guard let cookie = SessionCookieFormat(value, maxBytes: maxBytes), cookie.issued <= now + 60, now - cookie.issued <= maxAge,
            keys.contains(where: { HMAC<SHA256>.isValidAuthenticationCode(cookie.signature, authenticating: cookie.signed, using: $0.key) }),
            let values = cookie.values(maxBytes: maxBytes)
        else { return nil }
        return (values, cookie.issued)
    }
}
