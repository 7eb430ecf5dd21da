// The bounds a CGI program puts on what a client controls.

/// Limits the CGI adapter enforces before and while the application runs (Spec SEC-3).
///
/// The front server usually has its own limits (Apache's `LimitRequestBody`, lighttpd's
/// `server.max-request-size`); these hold when it has none.
public struct CGILimits: Sendable, Hashable {
    /// The most request-body bytes accepted. A larger `CONTENT_LENGTH` is answered 413 without
    /// reading standard input; a body of unknown length (chunked, read to its end) fails with
    /// ``Sluice/RequestBodyError/tooLarge(limit:)`` once it passes the limit, which the adapter
    /// answers 413 when it escapes the application.
    ///
    /// The default, 1 GiB, is Apache's. The body is streamed, never held whole, so the limit
    /// bounds work, not memory.
    public var maxBodyBytes: Int

    /// Creates limits; the defaults suit most programs.
    public init(maxBodyBytes: Int = 1 << 30) {
        self.maxBodyBytes = maxBodyBytes
    }
}

extension CGILimits {
    /// Creates limits with the earlier name of ``maxBodyBytes``.
    @available(*, deprecated, renamed: "init(maxBodyBytes:)")
    public init(maximumBodyLength: Int) {
        self.init(maxBodyBytes: maximumBodyLength)
    }

    /// Renamed ``maxBodyBytes``, as the other adapters and `--max-body-bytes` name it.
    @available(*, deprecated, renamed: "maxBodyBytes")
    public var maximumBodyLength: Int {
        get { maxBodyBytes }
        set { maxBodyBytes = newValue }
    }
}
