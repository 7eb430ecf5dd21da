// The cipher suites the server offers, by the names OpenSSL, Apache's mod_ssl and nginx give
// them in SSL_CIPHER.

import NIOSSL

/// The cipher suites of a TLS connection, by their IANA code points.
enum TLSCipherSuite {
    /// The TLS 1.2 suites the server accepts: ECDHE key exchange with AES-GCM or
    /// ChaCha20-Poly1305 (Mozilla's "intermediate" configuration). TLS 1.3's three suites are
    /// always on.
    static let offeredForTLS12: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// The OpenSSL name of the suite `code` (`TLS_AES_128_GCM_SHA256`,
    /// `ECDHE-RSA-AES128-GCM-SHA256`), as `SSL_CIPHER` carries it under Apache and nginx; the
    /// code in hexadecimal for a suite the server does not offer.
    static func name(of code: UInt16) -> String {
        switch code {
        case 0x1301: "TLS_AES_128_GCM_SHA256"
        case 0x1302: "TLS_AES_256_GCM_SHA384"
        case 0x1303: "TLS_CHACHA20_POLY1305_SHA256"
        case 0xC02B: "ECDHE-ECDSA-AES128-GCM-SHA256"
        case 0xC02F: "ECDHE-RSA-AES128-GCM-SHA256"
        case 0xC02C: "ECDHE-ECDSA-AES256-GCM-SHA384"
        case 0xC030: "ECDHE-RSA-AES256-GCM-SHA384"
        case 0xCCA9: "ECDHE-ECDSA-CHACHA20-POLY1305"
        case 0xCCA8: "ECDHE-RSA-CHACHA20-POLY1305"
        default: "0x" + String(code, radix: 16, uppercase: true)
        }
    }
}
