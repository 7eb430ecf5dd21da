import Sluice
import Testing

@testable import SluiceMiddleware

@Suite("Trusted proxies")
struct TrustedProxiesTests {
    /// A request from `peer` with `fields`.
    static func request(from peer: String, _ fields: [(String, String)]) -> Request {
        Request(
            method: .get, target: "/", pathInfo: "/", headers: Headers(fields + [("Host", "app.internal")]),
            serverName: "app.internal", serverPort: 8080, remoteAddress: peer, remotePort: 50000
        )
    }

    static let loopback = TrustedProxies([IPNetwork("127.0.0.1")!, IPNetwork("::1")!])

    @Test("[SEC-6] forwarding fields from an untrusted peer change nothing")
    func spoofedFromUntrustedPeer() {
        let spoofed = Self.request(
            from: "203.0.113.9",
            [
                ("X-Forwarded-For", "1.2.3.4"), ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "bank.example"),
                ("Forwarded", "for=5.6.7.8;proto=https;host=bank.example"),
            ])
        let result = Self.loopback.apply(to: spoofed)
        #expect(result.remoteAddress == "203.0.113.9")
        #expect(result.remotePort == 50000)
        #expect(result.scheme == "http")
        #expect(result.serverName == "app.internal")
        #expect(result.headers["Host"] == "app.internal")
    }

    @Test("X-Forwarded-For, -Proto and -Host from a trusted peer are applied")
    func appliedFromTrustedPeer() {
        let result = Self.loopback.apply(
            to: Self.request(
                from: "127.0.0.1",
                [
                    ("X-Forwarded-For", "198.51.100.7"), ("X-Forwarded-Proto", "HTTPS"), ("X-Forwarded-Host", "shop.example"),
                ]))
        #expect(result.remoteAddress == "198.51.100.7")
        #expect(result.remotePort == nil)
        #expect(result.scheme == "https")
        #expect(result.serverName == "shop.example")
        #expect(result.serverPort == 443)
        #expect(result.headers.values(for: "Host") == ["shop.example"])
    }

    @Test("with one hop, only the entry the trusted proxy appended counts: a client's own entries do not")
    func clientPrependedEntryIgnored() {
        let result = Self.loopback.apply(to: Self.request(from: "127.0.0.1", [("X-Forwarded-For", "6.6.6.6, 198.51.100.7")]))
        #expect(result.remoteAddress == "198.51.100.7")
    }

    @Test("hops: the walk goes back through trusted proxies, up to the configured number")
    func hops() {
        let proxies = TrustedProxies([IPNetwork("10.0.0.0/8")!], hops: 2)
        // client 198.51.100.7 -> 10.1.1.1 -> 10.2.2.2 -> app; a spoofed 6.6.6.6 in front.
        let fields = [("X-Forwarded-For", "6.6.6.6, 198.51.100.7, 10.1.1.1"), ("X-Forwarded-Proto", "http, https, http")]
        let result = proxies.apply(to: Self.request(from: "10.2.2.2", fields))
        #expect(result.remoteAddress == "198.51.100.7")
        #expect(result.scheme == "https")
        // One hop trusts only the nearest proxy's word.
        let oneHop = TrustedProxies([IPNetwork("10.0.0.0/8")!], hops: 1).apply(to: Self.request(from: "10.2.2.2", fields))
        #expect(oneHop.remoteAddress == "10.1.1.1")
        #expect(oneHop.scheme == "http")
    }

    @Test("the walk stops at the first address that is not a trusted proxy, whatever the hop count")
    func stopsAtUntrustedHop() {
        let proxies = TrustedProxies([IPNetwork("10.0.0.0/8")!], hops: 5)
        let result = proxies.apply(to: Self.request(from: "10.0.0.1", [("X-Forwarded-For", "1.1.1.1, 2.2.2.2, 198.51.100.7, 10.9.9.9")]))
        #expect(result.remoteAddress == "198.51.100.7")
    }

    @Test("more hops configured than entries: the outermost entry is the client")
    func tooManyHops() {
        let proxies = TrustedProxies([IPNetwork("10.0.0.0/8")!], hops: 1000)
        let result = proxies.apply(to: Self.request(from: "10.0.0.1", [("X-Forwarded-For", "10.0.0.2, 10.0.0.3")]))
        #expect(result.remoteAddress == "10.0.0.2")
    }

    @Test("Forwarded (RFC 7239) wins over X-Forwarded-*, with quoted IPv6 and ports")
    func forwardedHeader() {
        let result = Self.loopback.apply(
            to: Self.request(
                from: "::1",
                [
                    ("Forwarded", #"for="[2001:db8:cafe::17]:4711";proto=https;host="example.com:8443";by=_proxy"#),
                    ("X-Forwarded-For", "9.9.9.9"),
                ]))
        #expect(result.remoteAddress == "2001:db8:cafe::17")
        #expect(result.remotePort == 4711)
        #expect(result.scheme == "https")
        #expect(result.serverName == "example.com")
        #expect(result.serverPort == 8443)
    }

    @Test("an IPv4-mapped IPv6 peer is its IPv4 address; IPv6 networks match")
    func mappedAndIPv6Networks() {
        let result = Self.loopback.apply(to: Self.request(from: "::ffff:127.0.0.1", [("X-Forwarded-For", "2001:db8::1")]))
        #expect(result.remoteAddress == "2001:db8::1")
        let v6 = TrustedProxies([IPNetwork("fd00::/8")!])
        #expect(v6.apply(to: Self.request(from: "fd12:3456::1", [("X-Forwarded-For", "192.0.2.1")])).remoteAddress == "192.0.2.1")
        #expect(v6.apply(to: Self.request(from: "fe80::1", [("X-Forwarded-For", "192.0.2.1")])).remoteAddress == "fe80::1")
    }

    @Test(
        "garbage changes nothing: malformed Forwarded, unknown and obfuscated nodes, bad ports, bad hosts",
        arguments: [
            [("Forwarded", "for=")], [("Forwarded", "for=\"1.2.3.4")], [("Forwarded", "proto=https")], [("Forwarded", "for=1.2.3.4;;=x")],
            [("Forwarded", "for=1.2.3.4, garbage")], [("Forwarded", "for=unknown")], [("Forwarded", "for=_hidden")],
            [("Forwarded", "for=\"[::1\"")], [("X-Forwarded-For", "1.2.3.4:99999")], [("X-Forwarded-For", "not-an-ip")],
            [("X-Forwarded-For", "")], [("X-Forwarded-For", "1.2.3.4.5")], [("X-Forwarded-For", String(repeating: "1", count: 5000))],
            [("X-Forwarded-For", "[::1]x")],
        ])
    func garbageIgnored(fields: [(String, String)]) {
        let result = Self.loopback.apply(to: Self.request(from: "127.0.0.1", fields))
        #expect(result.remoteAddress == "127.0.0.1")
        #expect(result.remotePort == 50000)
        #expect(result.scheme == "http")
        #expect(result.serverName == "app.internal")
    }

    @Test("a proto other than http or https, or a host with hostile bytes, is ignored while the address applies")
    func hostileProtoAndHost() {
        for host in ["evil.example/path", "a b", String(repeating: "h", count: 256), "x\"y", "[::1", "host:port"] {
            let result = Self.loopback.apply(
                to: Self.request(
                    from: "127.0.0.1",
                    [
                        ("X-Forwarded-For", "192.0.2.1"), ("X-Forwarded-Proto", "javascript"), ("X-Forwarded-Host", host),
                    ]))
            #expect(result.remoteAddress == "192.0.2.1")
            #expect(result.scheme == "http")
            #expect(result.serverName == "app.internal", "\(host)")
        }
    }

    @Test("a header of many thousand entries is walked from the right and bounded by the hops")
    func longChain() {
        let chain = Array(repeating: "10.0.0.9", count: 20000).joined(separator: ", ") + ", 198.51.100.7"
        let result = TrustedProxies([IPNetwork("127.0.0.1")!], hops: 3).apply(to: Self.request(from: "127.0.0.1", [("X-Forwarded-For", chain)]))
        #expect(result.remoteAddress == "198.51.100.7")
    }

    @Test("proxy lists parse addresses and networks, and refuse names and bad prefixes")
    func parsing() {
        #expect(TrustedProxies(parsing: "127.0.0.1, 10.0.0.0/8,::1, fd00::/8")?.networks.count == 4)
        for bad in ["localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/8/8", "1.2.3.4/-1", "10.0.0.0/0008"] {
            #expect(TrustedProxies(parsing: bad) == nil, "\(bad)")
        }
        #expect(IPNetwork("0.0.0.0/0")!.contains(IPAddress("8.8.8.8")!))
        #expect(!IPNetwork("0.0.0.0/0")!.contains(IPAddress("::1")!))
        #expect(IPNetwork("192.168.1.0/23")!.contains(IPAddress("192.168.0.200")!))
        #expect(!IPNetwork("192.168.2.0/23")!.contains(IPAddress("192.168.1.200")!))
    }
}
