// The secret that signs session cookies.

import Crypto

#if !Sessions
#error("SluiceSessions needs the package trait Sessions (on by default): depend on Sluice with traits: [\"Sessions\"]")
#endif

/// A secret key that signs session cookies with HMAC-SHA256.
///
/// Make one from 32 random bytes kept out of the source (`head -c 32 /dev/urandom | base64`),
/// for example in an environment variable.
public struct SessionKey: Sendable {
    let key: SymmetricKey

    /// A key from at least 32 bytes; fewer stop the process, as a short key is a programming error.
    public init(_ bytes: [UInt8]) {
        precondition(bytes.count >= 32, "a session key needs at least 32 bytes; it had \(bytes.count)")
        key = SymmetricKey(data: bytes)
    }

    /// A key from standard base64 text (the output of `base64`); `nil` when it is not base64
    /// or decodes to fewer than 32 bytes.
    public init?(base64 text: String) {
        guard let bytes = Base64.decode(text, alphabet: .standard), bytes.count >= 32 else { return nil }
        self.init(bytes)
    }
}

extension SessionKey {
    /// A new random key: for tests and development, as sessions signed with it end with the
    /// process (and under CGI, a process is one request).
    public static func random() -> SessionKey {
        SessionKey((0..<32).map { _ in UInt8.random(in: .min ... .max) })
    }
}
