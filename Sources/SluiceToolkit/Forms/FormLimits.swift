// How much of a query string or URL-encoded form the toolkit reads before refusing it.

/// Limits on a query string or an `application/x-www-form-urlencoded` body.
///
/// A flood of parameters is a known denial of service (CVE-2025-46727 in Rack): past these
/// limits parsing stops with a 400 (query) or 413 (body) instead of using memory.
public struct FormLimits: Sendable, Hashable {
    /// The most fields accepted; the default is 1,000, as in Werkzeug and Django.
    public var maxFields: Int
    /// The most encoded bytes accepted; the default is 1 MiB.
    public var maxBytes: Int

    /// Creates limits.
    public init(maxFields: Int = 1000, maxBytes: Int = 1 << 20) {
        self.maxFields = maxFields
        self.maxBytes = maxBytes
    }
}
