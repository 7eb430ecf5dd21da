// IPv4 and IPv6 addresses and networks, for deciding whom to trust.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as its bytes; an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is
/// its IPv4 address, as a dual-stack socket reports IPv4 peers that way.
struct IPAddress: Hashable, Sendable {
    /// 4 bytes for IPv4, 16 for IPv6.
    let bytes: [UInt8]

    /// Reads dotted IPv4 or textual IPv6 (no brackets, no zone); `nil` for anything else.
    init?(_ text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        let text = String(text)
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let all = withUnsafeBytes(of: &v6) { Array($0) }
        let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
        bytes = all.starts(with: mappedPrefix) ? Array(all[12...]) : all
    }
}

/// An address and a prefix length: `10.0.0.0/8`, `fd00::/8`, or one address.
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    let address: IPAddress
    let prefixLength: Int
    /// As written.
    public let description: String

    /// Reads `ADDRESS` or `ADDRESS/PREFIX` (IPv4 or IPv6); `nil` for anything else, such as a
    /// host name or a prefix longer than the address.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let bits = address.bytes.count * 8
        if parts.count == 2 {
            guard parts[1].utf8.count <= 3, let length = Int(parts[1]), (0...bits).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = bits
        }
        self.address = address
        description = text
    }

    /// Whether `candidate` lies in this network.
    func contains(_ candidate: IPAddress) -> Bool {
        guard candidate.bytes.count == address.bytes.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(address.bytes, candidate.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            guard mine & mask == theirs & mask else { return false }
            remaining -= 8
        }
        return true
    }
}
