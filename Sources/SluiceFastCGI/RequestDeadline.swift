// When the application of the request a worker serves must have finished (Spec LIFE-6).

#if os(Linux)
import Sluice

/// The request timeout of one exchange: when it passes, and what the worker needs then to
/// answer the request and complete it without the application's task.
struct RequestDeadline {
    let limit: Duration
    let instant: ContinuousClock.Instant
    let context: RequestContext
    /// The method and target, for the error log.
    let label: String

    /// The deadline of `request`, starting now.
    init(_ request: borrowing Request, limit: Duration) {
        self.limit = limit
        instant = .now + limit
        context = request.context
        label = "\(request.method.rawValue) \(request.target)"
    }

    /// Whether it has passed.
    var hasPassed: Bool { ContinuousClock.now >= instant }

    /// How long poll(2) may wait before it passes: whole milliseconds, rounded up.
    var pollTimeout: Int32 {
        let left = instant - .now
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        return Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}

#endif
