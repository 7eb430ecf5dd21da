// The parts of TLS's variables the server computes itself, in memory (Spec HTTP-9): the hellos
// read for SNI and the cipher suite, names, distinguished names, PEM.

import Testing

@testable import SluiceHTTP

@Suite("TLS facts")
struct TLSFactsTests {
    /// A TLS record holding one handshake message of `type` with `body`.
    static func record(type: UInt8, body: [UInt8]) -> [UInt8] {
        let message = [type] + length(body.count, bytes: 3) + body
        return [22, 3, 1] + length(message.count, bytes: 2) + message
    }

    static func length(_ value: Int, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    static func clientHello(serverName: String?, applicationProtocols: [String]? = nil) -> [UInt8] {
        var extensions: [UInt8] = []
        if let applicationProtocols {
            let list = applicationProtocols.flatMap { length($0.utf8.count, bytes: 1) + Array($0.utf8) }
            let data = length(list.count, bytes: 2) + list
            extensions += [0, 16] + length(data.count, bytes: 2) + data
        }
        if let serverName {
            let name = Array(serverName.utf8)
            let list = [0] + length(name.count, bytes: 2) + name
            let data = length(list.count, bytes: 2) + list
            extensions += [0, 0] + length(data.count, bytes: 2) + data
        }
        extensions = [0, 0x2b, 0, 3, 2, 3, 4] + extensions  // supported_versions first
        let body = [3, 3] + [UInt8](repeating: 7, count: 32) + [0] + [0, 2, 0x13, 0x01] + [1, 0] + length(extensions.count, bytes: 2) + extensions
        return record(type: 1, body: body)
    }

    @Test("[HTTP-9] the ClientHello's server_name is read once its record is whole, and only then")
    func serverName() {
        let hello = Self.clientHello(serverName: "example.com")
        #expect(TLSHello.offer(inClientHello: hello) == (.init(serverName: "example.com"), true))
        for cut in [1, 5, 40, hello.count - 1] {
            let (offer, complete) = TLSHello.offer(inClientHello: Array(hello.prefix(cut)))
            #expect(offer == .init() && !complete, "cut at \(cut)")
        }
        #expect(TLSHello.offer(inClientHello: Self.clientHello(serverName: nil)) == (.init(), true))
        #expect(TLSHello.offer(inClientHello: Self.record(type: 1, body: [3, 3, 1])) == (.init(), true), "a truncated hello inside a whole record")
    }

    @Test("[HTTP-10] the ClientHello's ALPN protocols are read; none offered is nil, not empty")
    func applicationProtocols() {
        let hello = Self.clientHello(serverName: "example.com", applicationProtocols: ["spdy/3", "h2"])
        #expect(TLSHello.offer(inClientHello: hello).offer == .init(serverName: "example.com", applicationProtocols: ["spdy/3", "h2"]))
        #expect(TLSHello.offer(inClientHello: Self.clientHello(serverName: nil)).offer.applicationProtocols == nil)
    }

    @Test("[HTTP-9] the ServerHello's cipher suite is read and named as OpenSSL names it")
    func cipherSuite() {
        let body = [3, 3] + [UInt8](repeating: 9, count: 32) + [2, 0xaa, 0xbb] + [0xc0, 0x2f] + [0]
        let hello = Self.record(type: 2, body: body)
        #expect(TLSHello.cipherSuite(inServerHello: hello) == 0xc02f)
        #expect(TLSHello.cipherSuite(inServerHello: Array(hello.prefix(30))) == nil)
        #expect(TLSCipherSuite.name(of: 0xc02f) == "ECDHE-RSA-AES128-GCM-SHA256")
        #expect(TLSCipherSuite.name(of: 0x1301) == "TLS_AES_128_GCM_SHA256")
        #expect(TLSCipherSuite.name(of: 0x00ff) == "0xFF")
    }

    @Test("[HTTP-9] RFC 4514 escapes and PEM's base64")
    func encodings() {
        #expect(DistinguishedName.escaped("Example, Inc") == "Example\\, Inc")
        #expect(DistinguishedName.escaped(" #lead") == "\\ #lead")
        #expect(DistinguishedName.escaped("#x y ") == "\\#x y\\ ")
        #expect(PEM.encode([0x4d, 0x61, 0x6e, 0x4d], label: "X") == "-----BEGIN X-----\nTWFuTQ==\n-----END X-----\n")
        #expect(PEM.encode(Array(repeating: 0, count: 48), label: "X").split(separator: "\n").map(\.count) == [17, 64, 15])
    }
}
