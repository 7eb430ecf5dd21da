// FNV-1a, 64 bits: a digest any test can compute in a few lines.

/// FNV-1a with 64 bits: the hash the adapters' test batteries used, kept for their tests.
public struct FNV1a64: Sendable {
    private var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Creates the hash of no bytes.
    public init() {}

    /// Adds bytes to the hashed message.
    public mutating func update(_ bytes: [UInt8]) {
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
    }

    /// The hash as 16 lowercase hexadecimal digits.
    public var hexDigest: String {
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
