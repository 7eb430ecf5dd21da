// What happened to a request, as completion hooks learn it.

/// The outcome of one request, handed to every completion hook.
public struct Completion: Sendable {
    /// The status sent to the client, or `nil` when no response head was sent.
    public var status: Response.Status?
    /// How many body bytes the application handed to the server.
    public var bodyBytesSent: Int
    /// The error that ended the request early: the application's, a write failure, or
    /// ``ClientDisconnected``; `nil` when the response was delivered whole.
    public var error: (any Error)?
    /// The error the application threw, or the invalid head it returned, that the server
    /// answered with an error status (Spec ERR-1). The response was still delivered whole.
    public var applicationError: (any Error)?
    /// When the server handed the request to the application, on the monotonic clock: an
    /// access log or a metric learns from it when the request started, whatever the response
    /// did afterwards.
    public var startTime: ContinuousClock.Instant
    /// How long the request took, from ``startTime`` to completion: the last body byte handed
    /// to the server, the client gone, or the failure — after `respond(to:)` returned when the
    /// body streamed on.
    public var duration: Duration

    /// Creates an outcome; the server sets ``startTime`` and ``duration`` (Spec LIFE-3).
    public init(
        status: Response.Status?,
        bodyBytesSent: Int,
        error: (any Error)?,
        applicationError: (any Error)? = nil,
        startTime: ContinuousClock.Instant = .now,
        duration: Duration = .zero
    ) {
        self.status = status
        self.bodyBytesSent = bodyBytesSent
        self.error = error
        self.applicationError = applicationError
        self.startTime = startTime
        self.duration = duration
    }

    /// Whether the request ended because the client went away.
    public var clientDisconnected: Bool { error is ClientDisconnected }

    /// Whether the whole response was delivered.
    public var succeeded: Bool { error == nil && status != nil }
}
