// What the server hosting an application can do, declared by its adapter.

/// Facts about the server an application runs under (Spec REQ-14).
///
/// The first three are WSGI's flags; the rest say which optional parts of the Spec the
/// adapter carries through to the client. The conformance suite checks each claim.
public struct ServerCapabilities: Sendable, Hashable {
    /// Several requests may run at once in this process (WSGI `multithread`).
    public var isConcurrent: Bool
    /// Other processes may serve the same application at the same time (WSGI `multiprocess`).
    public var isMultiprocess: Bool
    /// The process serves this one request and exits, as under CGI (WSGI `run_once`).
    public var isRunOnce: Bool
    /// The body reaches the application while the client still sends it, rather than after
    /// the server buffered it whole.
    public var streamsRequestBody: Bool
    /// ``ResponseBodyWriter/flush()`` pushes bytes to the client's connection (a front server
    /// may still buffer them; see the Spec, RESP-9).
    public var honoursFlush: Bool
    /// Response trailers reach the client; where not, the server drops them.
    public var supportsTrailers: Bool
    /// Informational (1xx) responses reach the client; where not, the server drops them.
    public var supportsInformationalResponses: Bool
    /// A WebSocket the application accepts reaches the client; where not, the server answers
    /// 501 instead and the session never runs (Spec WS-3, WS-4).
    public var supportsWebSocket: Bool

    /// Creates a capability set; the defaults describe a concurrent, single-process server
    /// that streams both ways without trailers, informational responses or WebSocket.
    public init(
        isConcurrent: Bool = true,
        isMultiprocess: Bool = false,
        isRunOnce: Bool = false,
        streamsRequestBody: Bool = true,
        honoursFlush: Bool = true,
        supportsTrailers: Bool = false,
        supportsInformationalResponses: Bool = false,
        supportsWebSocket: Bool = false
    ) {
        self.isConcurrent = isConcurrent
        self.isMultiprocess = isMultiprocess
        self.isRunOnce = isRunOnce
        self.streamsRequestBody = streamsRequestBody
        self.honoursFlush = honoursFlush
        self.supportsTrailers = supportsTrailers
        self.supportsInformationalResponses = supportsInformationalResponses
        self.supportsWebSocket = supportsWebSocket
    }
}
