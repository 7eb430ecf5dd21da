// What a Hummingbird request context is made from when Sluice, not a NIO channel, serves it.

#if Hummingbird
public import Hummingbird
public import Logging
public import Sluice

/// The source a Hummingbird request context is created from under ``HummingbirdApp``: a
/// logger, and the Sluice request, which says what Hummingbird has no place for (the client's
/// address, the mount, the server's capabilities, completion hooks).
///
/// Hummingbird's own server hands contexts an `ApplicationRequestContextSource`, which holds
/// the connection's NIO channel; under CGI and FastCGI there is none. A context type that
/// runs under Sluice declares this source:
///
/// ```swift
/// struct AppRequestContext: RequestContext {
///     typealias Source = SluiceRequestContextSource
///     var coreContext: CoreRequestContextStorage
///     init(source: Source) { coreContext = .init(source: source) }
/// }
/// ```
public struct SluiceRequestContextSource: RequestContextSource {
    /// The request's logger, carrying its `hb.request.id`.
    public let logger: Logger
    /// The request as the Sluice server handed it over.
    public let sluiceRequest: Sluice.Request

    /// Creates a source for one request.
    public init(logger: Logger, sluiceRequest: Sluice.Request) {
        self.logger = logger
        self.sluiceRequest = sluiceRequest
    }
}
#endif
