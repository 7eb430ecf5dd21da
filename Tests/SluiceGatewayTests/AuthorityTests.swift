// The one Host/authority parser every adapter's serverName and serverPort come from (Spec REQ-8).

import SluiceGateway
import Testing

@Suite("Authority")
struct AuthorityTests {
    @Test(
        "[REQ-8] a host and port split; an IPv6 literal loses its brackets",
        arguments: [
            ("example.org:8080", "example.org", 8080),
            ("[::1]:8080", "::1", 8080),
            ("127.0.0.1:65535", "127.0.0.1", 65535),
            ("example.org:1", "example.org", 1),
            ("example.org:00080", "example.org", 80),
        ] as [(String, String, Int)])
    func hostAndPort(authority: String, host: String, port: Int) {
        #expect(Authority(authority) == Authority(host: host, port: port))
    }

    @Test(
        "[REQ-8] without a valid port the host stands alone: the port never becomes part of serverName",
        arguments: [
            ("example.org", "example.org"),
            ("example.org:", "example.org"),
            ("example.org:0", "example.org"),
            ("example.org:65536", "example.org"),
            ("example.org:123456", "example.org"),
            ("example.org:+80", "example.org"),
            ("example.org:-1", "example.org"),
            ("example.org:8o", "example.org"),
            ("example.org:80:81", "example.org"),
            ("[::1]", "::1"),
            ("[::1]:", "::1"),
            ("[::1]x", "::1"),
            ("[::1]:http", "::1"),
            ("a:b:c", "a"),
        ] as [(String, String)])
    func hostWithoutPort(authority: String, host: String) {
        #expect(Authority(authority) == Authority(host: host, port: nil))
    }

    @Test(
        "[REQ-8] an authority that names no host gives an empty one, for the caller's fallback",
        arguments: [
            "", ":8080", "[]", "[]:80", "[::1", "[",
        ])
    func noHost(authority: String) {
        #expect(Authority(authority).host.isEmpty)
    }

    @Test("[REQ-8] [HTTP-1] serverName and serverPort: the authority's, else the local address, else localhost; the scheme's port")
    func serverFallbacks() {
        let local = (host: "10.0.0.1", port: 8443)
        #expect(Authority.server(of: "example.org", defaultPort: 443, local: local) == ("example.org", 443))
        #expect(Authority.server(of: "example.org:81", defaultPort: 443, local: local) == ("example.org", 81))
        #expect(Authority.server(of: ":81", defaultPort: 80, local: local) == ("10.0.0.1", 81))
        #expect(Authority.server(of: nil, defaultPort: 80, local: local) == ("10.0.0.1", 8443))
        #expect(Authority.server(of: "", defaultPort: 80, local: local) == ("10.0.0.1", 8443))
        #expect(Authority.server(of: nil, defaultPort: 443) == ("localhost", 443))
        #expect(Authority.server(of: "[::1", defaultPort: 80) == ("localhost", 80))
        #expect(Authority.server(of: "example.org:0", defaultPort: 80) == ("example.org", 80))
    }
}
