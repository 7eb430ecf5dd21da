// The TLS settings of a standalone server: its certificate and key, and whether it asks
// clients for certificates of their own.

extension HTTPServerConfiguration {
    /// Serving TLS 1.2 and 1.3 (Spec HTTP-9 to HTTP-11): the server's certificate chain and
    /// private key, read from PEM files when the server starts and again on `SIGHUP`, and
    /// whether clients must show certificates of their own.
    public struct TLS: Sendable, Hashable {
        /// The PEM file holding the server's certificate, followed by any intermediates.
        public var certificatePath: String
        /// The PEM file holding the certificate's private key.
        public var privateKeyPath: String
        /// Whether the server asks clients for certificates, and which it trusts.
        public var clientCertificates: ClientCertificates

        /// A TLS setting from the certificate chain and key files, asking clients for no
        /// certificate by default.
        public init(certificatePath: String, privateKeyPath: String, clientCertificates: ClientCertificates = .none) {
            self.certificatePath = certificatePath
            self.privateKeyPath = privateKeyPath
            self.clientCertificates = clientCertificates
        }
    }

    /// Client certificates (mutual TLS), as Apache's `SSLVerifyClient` and nginx's
    /// `ssl_verify_client` offer them.
    public enum ClientCertificates: Sendable, Hashable {
        /// None is asked for.
        case none
        /// One is asked for; a client may go without, but one it shows must chain to a
        /// certificate in the PEM file at `trustedAuthorities` and be valid now.
        case optional(trustedAuthorities: String)
        /// One is required, chaining to a certificate in the PEM file at `trustedAuthorities`
        /// and valid now; the handshake fails without it.
        case required(trustedAuthorities: String)
    }

    /// HTTP/2 (RFC 9113): when it is spoken, and its limits.
    public struct HTTP2: Sendable, Hashable {
        /// Offer `h2` by ALPN on TLS connections (before `http/1.1`, which clients that do not
        /// speak HTTP/2 choose). On by default.
        public var overTLS: Bool
        /// Serve HTTP/2 on cleartext connections that open with its connection preface (h2c
        /// by prior knowledge, RFC 9113 §3.3); other cleartext connections are HTTP/1.1. Off
        /// by default: cleartext HTTP/2 is for clients that know the server speaks it, such as
        /// a proxy or a load balancer in front of it.
        public var cleartext: Bool
        /// The most streams a client may have open at once on one connection
        /// (`SETTINGS_MAX_CONCURRENT_STREAMS`); more are refused.
        public var maxConcurrentStreams: Int

        /// Creates HTTP/2 settings; the defaults offer HTTP/2 over TLS only, with 100 streams.
        public init(overTLS: Bool = true, cleartext: Bool = false, maxConcurrentStreams: Int = 100) {
            self.overTLS = overTLS
            self.cleartext = cleartext
            self.maxConcurrentStreams = maxConcurrentStreams
        }
    }
}
