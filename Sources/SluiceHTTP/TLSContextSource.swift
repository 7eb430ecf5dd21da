// The TLS context new connections are served with, made from the configured files and made
// again when they change.

import Logging
import NIOSSL
import Synchronization

/// Holds the `NIOSSLContext` for new TLS connections. ``reload()`` reads the certificate and key
/// files again (on `SIGHUP`): connections accepted afterwards get the new context, connections
/// already open keep theirs, and a reload that fails — a missing file, a key that does not match
/// — keeps the old context and says why.
final class TLSContextSource: Sendable {
    private let settings: HTTPServerConfiguration.TLS
    private let offersHTTP2: Bool
    private let context: Mutex<NIOSSLContext>

    /// Reads the files; throws what they are wrong with, so that a server with a bad
    /// certificate does not start (Spec LIFE-1).
    init(_ settings: HTTPServerConfiguration.TLS, offersHTTP2: Bool) throws {
        self.settings = settings
        self.offersHTTP2 = offersHTTP2
        context = Mutex(try Self.makeContext(settings, offersHTTP2: offersHTTP2))
    }

    /// The context for a connection accepted now.
    var current: NIOSSLContext {
        context.withLock { $0 }
    }

    /// Reads the files again and serves new connections with what they hold; throws, keeping
    /// the current context, when they cannot be used.
    func reload() throws {
        let fresh = try Self.makeContext(settings, offersHTTP2: offersHTTP2)
        context.withLock { $0 = fresh }
    }

    /// TLS 1.2 and 1.3; for TLS 1.2 only ECDHE key exchange with AEAD ciphers (Mozilla's
    /// "intermediate" list, which RFC 9113 §9.2.2 also requires of HTTP/2); ALPN offering `h2`
    /// first when HTTP/2 is on.
    private static func makeContext(_ settings: HTTPServerConfiguration.TLS, offersHTTP2: Bool) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(settings.certificatePath)
        guard !chain.isEmpty else { throw TLSFileError(path: settings.certificatePath, problem: "holds no PEM certificate") }
        let key = try NIOSSLPrivateKey(file: settings.privateKeyPath, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuiteValues = TLSCipherSuite.offeredForTLS12
        configuration.applicationProtocols = offersHTTP2 ? ["h2", "http/1.1"] : ["http/1.1"]
        switch settings.clientCertificates {
        case .none:
            configuration.certificateVerification = .none
        case let .optional(authorities):
            configuration.certificateVerification = .optionalVerification
            configuration.trustRoots = .file(authorities)
        case let .required(authorities):
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .file(authorities)
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSFileError(path: settings.privateKeyPath, problem: "cannot be used with \(settings.certificatePath): \(error)")
        }
    }
}

/// A certificate, key or trust file that cannot be used.
struct TLSFileError: Error, CustomStringConvertible {
    var path: String
    var problem: String

    var description: String { "\(path) \(problem)" }
}
