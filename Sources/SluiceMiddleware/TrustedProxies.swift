// Believing `Forwarded` and `X-Forwarded-*` from the proxies an operator names, and no one else.

public import Sluice

/// The proxies whose forwarding fields a request may be rewritten from, and how many of them
/// stand between the client and the server.
public struct TrustedProxies: Sendable {
    /// The addresses and networks of the proxies.
    public let networks: [IPNetwork]
    /// The most proxies in a row to believe, counted back from the server.
    public let hops: Int

    /// Proxies at `networks`; `hops` of them (at least 1) may stand in a row.
    public init(_ networks: [IPNetwork], hops: Int = 1) {
        self.networks = networks
        self.hops = max(1, hops)
    }

    /// Proxies from text such as `127.0.0.1, 10.0.0.0/8, ::1`; `nil` when an entry is not an
    /// address or network (a host name, say), so that a typo is an error, not an open door.
    public init?(parsing list: String, hops: Int = 1) {
        var networks: [IPNetwork] = []
        for entry in ForwardedHops.commaList(list) where !entry.isEmpty {
            guard let network = IPNetwork(entry) else { return nil }
            networks.append(network)
        }
        self.init(networks, hops: hops)
    }

    /// Whether `address` is one of the proxies.
    func trusts(_ address: IPAddress) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// The request as the client sent it to the outermost trusted proxy, or `request` unchanged
    /// when its peer is not a trusted proxy or the fields say nothing believable.
    ///
    /// From the peer back, each hop's `for` is believed while the hop before it was a trusted
    /// proxy, up to ``hops``; the last hop believed names the client, and its `proto` and
    /// `host` (when valid) the scheme and host the client used. A node that is not an
    /// address (`unknown`, an obfuscated name, garbage) ends the walk.
    public func apply(to request: Request) -> Request {
        guard let peer = IPAddress(request.remoteAddress), trusts(peer), let hops = ForwardedHops.hops(in: request.headers) else {
            return request
        }
        var client: (hop: ForwardedHop, address: Substring, port: Int?)?
        for hop in hops.reversed().prefix(self.hops) {
            guard let (address, port) = Self.split(node: hop.node), let parsed = IPAddress(address) else { break }
            client = (hop, address, port)
            guard trusts(parsed) else { break }
        }
        guard let client else { return request }
        var request = request
        request.remoteAddress = String(client.address)
        request.remotePort = client.port
        if let proto = client.hop.proto?.lowercased(), proto == "http" || proto == "https" {
            request.scheme = proto
            request.serverPort = proto == "https" ? 443 : 80
        }
        if let host = client.hop.host, let (name, port) = Self.split(host: host) {
            request.headers.remove("Host")
            request.headers.append(name: "Host", value: host)
            request.serverName = name
            if let port { request.serverPort = port }
        }
        return request
    }

    /// `192.0.2.1`, `192.0.2.1:80`, `2001:db8::1`, `[2001:db8::1]` or `[2001:db8::1]:80` as
    /// address and port; `nil` when malformed.
    static func split(node: String) -> (Substring, Int?)? {
        let node = node[...]
        if node.hasPrefix("[") {
            guard let close = node.firstIndex(of: "]") else { return nil }
            let address = node[node.index(after: node.startIndex)..<close]
            let rest = node[node.index(after: close)...]
            if rest.isEmpty { return (address, nil) }
            guard rest.hasPrefix(":"), let port = port(rest.dropFirst()) else { return nil }
            return (address, port)
        }
        let colons = node.count { $0 == ":" }
        if colons == 1, let colon = node.firstIndex(of: ":") {
            guard let port = port(node[node.index(after: colon)...]) else { return nil }
            return (node[..<colon], port)
        }
        return (node, nil)
    }

    /// `example.com`, `example.com:8443` or `[::1]:8080` as the server name and port; `nil`
    /// for anything longer than 255 bytes or with a byte a host may not hold.
    static func split(host: String) -> (String, Int?)? {
        guard !host.isEmpty, host.utf8.count <= 255 else { return nil }
        let allowed = host.utf8.allSatisfy { byte in
            byte.isTokenCharacter && byte != UInt8(ascii: "`") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]")
        }
        guard allowed else { return nil }
        if host.hasPrefix("[") {
            guard let (address, port) = split(node: host), IPAddress(address) != nil else { return nil }
            return ("[\(address)]", port)
        }
        guard let colon = host.firstIndex(of: ":") else { return (host, nil) }
        guard let port = port(host[host.index(after: colon)...]) else { return nil }
        return (String(host[..<colon]), port)
    }

    private static func port(_ text: Substring) -> Int? {
        guard (1...5).contains(text.utf8.count), text.utf8.allSatisfy(\.isDecimalDigit), let port = Int(text), (0...65535).contains(port) else { return nil }
        return port
    }
}

extension Middleware {
    /// Rewrites each request's client address, scheme and host from `Forwarded` (or
    /// `X-Forwarded-For`, `-Proto`, `-Host`) when — and only when — its peer is one of
    /// `proxies` (Spec SEC-6 trusts none by default); see ``TrustedProxies/apply(to:)``.
    /// A header from any other peer changes nothing. Put it outermost.
    public static func trustedProxies(_ proxies: TrustedProxies) -> Middleware {
        Middleware { request, next in
            try await next.respond(to: proxies.apply(to: request))
        }
    }
}
