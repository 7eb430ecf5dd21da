// Which body moved first: the order Lint holds an application to where request bodies do not
// stream (Spec RESP-16).

/// Notes, for one exchange, when the application first wrote or flushed response body bytes,
/// so that a later read of the request body can be named for what it is behind a server that
/// does not stream request bodies: a read that never returns.
final class BodyOrder: Sendable {
    private let responseStarted = Locked(false)

    /// Records that response body bytes were written or flushed.
    func responseBodyStarts() {
        responseStarted.withLock { $0 = true }
    }

    /// Whether response body bytes were written or flushed.
    var hasResponseBodyStarted: Bool {
        responseStarted.value
    }

    /// The violation of reading the request body now, or `nil`: a read after the response body
    /// started, where ``ServerCapabilities/streamsRequestBody`` is `false` (RESP-16).
    func readViolation(capabilities: ServerCapabilities) -> LintViolation? {
        guard !capabilities.streamsRequestBody, hasResponseBodyStarted else { return nil }
        return .application(
            "RESP-16",
            "the application read the request body after it wrote response body bytes, but streamsRequestBody is false: "
                + "a front server stops passing the body on once the response is on its way, and the exchange hangs until a timeout"
        )
    }
}
