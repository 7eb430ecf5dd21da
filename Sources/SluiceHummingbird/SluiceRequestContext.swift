// The ready-made Hummingbird request context for routers served by Sluice.

#if Hummingbird
public import Hummingbird
public import NIOCore
public import Sluice

/// A Hummingbird request context for ``HummingbirdApp``: what `BasicRequestContext` is on
/// Hummingbird's own server, plus the Sluice request and the client's address.
///
/// ```swift
/// let router = Router(context: SluiceRequestContext.self)
/// ```
///
/// Its `remoteAddress` is what Hummingbird's `TracingMiddleware` records.
public struct SluiceRequestContext: Hummingbird.RequestContext, RemoteAddressRequestContext {
    /// What the context is made from: the Sluice request and its logger.
    public typealias Source = SluiceRequestContextSource
    /// Hummingbird's per-request state: logger, path parameters, endpoint path.
    public var coreContext: CoreRequestContextStorage
    /// The request as the Sluice server handed it over (``Sluice/Request/scriptName``,
    /// ``Sluice/Request/capabilities``, ``Sluice/Request/onCompletion(_:)`` and the rest).
    public let sluiceRequest: Sluice.Request

    /// Creates the context of one request.
    public init(source: SluiceRequestContextSource) {
        coreContext = .init(source: source)
        sluiceRequest = source.sluiceRequest
    }

    /// The client's address and port (REMOTE_ADDR, REMOTE_PORT), or `nil` when the server
    /// reported none that is an IP address (a unix socket's peer).
    public var remoteAddress: SocketAddress? {
        try? SocketAddress(ipAddress: sluiceRequest.remoteAddress, port: sluiceRequest.remotePort ?? 0)
    }
}
#endif
