// How much of a multipart/form-data body the toolkit reads before refusing it.

/// Limits on a `multipart/form-data` body; past any of them reading stops with a 413.
public struct MultipartLimits: Sendable, Hashable {
    /// The most parts accepted; the default is 1,000, as in Werkzeug. Thousands of empty parts
    /// cost a parser more than their bytes suggest.
    public var maxParts: Int
    /// The most bytes of one part's header block; the default is 8 KiB.
    public var maxPartHeaderBytes: Int
    /// The most bytes of all fields kept in memory (parts without a file name) together, for
    /// ``Form``; the default is 1 MiB.
    public var maxFieldBytes: Int
    /// The most bytes of the whole body, files included; the default is 64 MiB.
    public var maxBytes: Int

    /// Creates limits.
    public init(maxParts: Int = 1000, maxPartHeaderBytes: Int = 8 * 1024, maxFieldBytes: Int = 1 << 20, maxBytes: Int = 64 << 20) {
        self.maxParts = maxParts
        self.maxPartHeaderBytes = maxPartHeaderBytes
        self.maxFieldBytes = maxFieldBytes
        self.maxBytes = maxBytes
    }
}
