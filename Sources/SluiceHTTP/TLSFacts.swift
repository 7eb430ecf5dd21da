// What a TLS connection tells its requests, under the names Apache's mod_ssl gives CGI
// programs.

import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The TLS facts of one connection, read once after its handshake and shared by every request
/// on it (Spec HTTP-9): the request's ``Request/metaVariables`` under mod_ssl's names, so that
/// an application reads the same variables standalone as behind Apache (`SSLOptions
/// +StdEnvVars +ExportCertData`) or nginx (`fastcgi_param SSL_CLIENT_S_DN $ssl_client_s_dn` …).
struct TLSFacts {
    /// The variables: always `HTTPS`, `SSL_PROTOCOL`, `SSL_CIPHER` and `SSL_CLIENT_VERIFY`;
    /// `SSL_TLS_SNI` when the client named a host; the client certificate's when it showed one.
    let metaVariables: [String: String]

    init(version: TLSVersion?, cipherSuite: UInt16?, serverName: String?, clientCertificate: NIOSSLCertificate?) {
        var variables = ["HTTPS": "on", "SSL_CLIENT_VERIFY": clientCertificate == nil ? "NONE" : "SUCCESS"]
        if let version { variables["SSL_PROTOCOL"] = Self.name(of: version) }
        if let cipherSuite { variables["SSL_CIPHER"] = TLSCipherSuite.name(of: cipherSuite) }
        if let serverName { variables["SSL_TLS_SNI"] = serverName }
        if let certificate = clientCertificate {
            Self.describe(certificate, into: &variables)
        }
        metaVariables = variables
    }

    /// mod_ssl's protocol names.
    private static func name(of version: TLSVersion) -> String {
        switch version {
        case .tlsv1: "TLSv1"
        case .tlsv11: "TLSv1.1"
        case .tlsv12: "TLSv1.2"
        case .tlsv13: "TLSv1.3"
        }
    }

    /// The client certificate's variables: its subject and issuer as RFC 4514 strings (the
    /// format mod_ssl and nginx use by default), the subject's parts, serial, validity and PEM.
    private static func describe(_ certificate: NIOSSLCertificate, into variables: inout [String: String]) {
        variables["SSL_CLIENT_S_DN"] = DistinguishedName.text(of: certificate.subjectName)
        variables["SSL_CLIENT_I_DN"] = DistinguishedName.text(of: certificate.issuerName)
        for name in certificate.subjectName {
            guard let suffix = DistinguishedName.modSSLSuffix(of: name.type) else { continue }
            variables["SSL_CLIENT_S_DN_" + suffix] = name.value
        }
        variables["SSL_CLIENT_M_SERIAL"] = certificate.serialNumber.map { byte in
            (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }.joined()
        variables["SSL_CLIENT_V_START"] = Self.openSSLDate(certificate.notValidBefore)
        variables["SSL_CLIENT_V_END"] = Self.openSSLDate(certificate.notValidAfter)
        if let der = try? certificate.toDERBytes() {
            variables["SSL_CLIENT_CERT"] = PEM.encode(der, label: "CERTIFICATE")
        }
    }

    /// A time as OpenSSL prints it for mod_ssl: `Jan  2 03:04:05 2030 GMT`.
    private static func openSSLDate(_ time: time_t) -> String {
        var seconds = time
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func pad(_ value: Int32, with filler: String) -> String { value < 10 ? filler + "\(value)" : "\(value)" }
        return "\(months[Int(parts.tm_mon)]) \(pad(parts.tm_mday, with: " ")) \(pad(parts.tm_hour, with: "0")):"
            + "\(pad(parts.tm_min, with: "0")):\(pad(parts.tm_sec, with: "0")) \(parts.tm_year + 1900) GMT"
    }
}

/// Distinguished names as text.
enum DistinguishedName {
    /// RFC 4514's string of `names`, which a certificate lists from the root of the naming
    /// tree down: the reverse order, comma-separated, special characters escaped. Attributes
    /// NIOSSL does not name are left out.
    static func text(of names: [SSLCertificateName]) -> String {
        names.reversed().compactMap { name in
            abbreviation(of: name.type).map { "\($0)=\(escaped(name.value))" }
        }.joined(separator: ",")
    }

    /// The attribute type as RFC 4514 (and OpenSSL) abbreviate it.
    private static func abbreviation(of type: SSLCertificateNameType) -> String? {
        switch type {
        case .commonName: "CN"
        case .organization: "O"
        case .organizationalUnit: "OU"
        case .country: "C"
        case .state: "ST"
        case .city: "L"
        case .emailAddress: "emailAddress"
        case .userId: "UID"
        default: nil
        }
    }

    /// The suffix of mod_ssl's `SSL_CLIENT_S_DN_x` variable for an attribute type.
    static func modSSLSuffix(of type: SSLCertificateNameType) -> String? {
        switch type {
        case .emailAddress: "Email"
        default: abbreviation(of: type)
        }
    }

    /// A value with RFC 4514 §2.4's escapes: `,+"\<>;` anywhere, `#` or a space first, a space last.
    static func escaped(_ value: String) -> String {
        var result = ""
        for (index, character) in value.enumerated() {
            let special =
                ",+\"\\<>;".contains(character) || (index == 0 && (character == "#" || character == " "))
                || (index == value.count - 1 && character == " ")
            if special { result.append("\\") }
            result.append(character)
        }
        return result
    }
}

/// Privacy-Enhanced Mail text (RFC 7468).
enum PEM {
    /// `der` in base64, 64 characters a line, between `BEGIN` and `END` lines for `label`.
    static func encode(_ der: [UInt8], label: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var encoded: [UInt8] = []
        encoded.reserveCapacity((der.count + 2) / 3 * 4)
        for start in stride(from: 0, to: der.count, by: 3) {
            let chunk = der[start..<min(start + 3, der.count)]
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for position in 0..<4 {
                encoded.append(position <= chunk.count ? alphabet[(value >> (18 - 6 * position)) & 63] : UInt8(ascii: "="))
            }
        }
        var lines = "-----BEGIN \(label)-----\n"
        for start in stride(from: 0, to: encoded.count, by: 64) {
            lines += String(decoding: encoded[start..<min(start + 64, encoded.count)], as: UTF8.self) + "\n"
        }
        return lines + "-----END \(label)-----\n"
    }
}
