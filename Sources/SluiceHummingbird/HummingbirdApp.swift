// A Hummingbird 2 responder, such as a Router's, as a Sluice application.

#if Hummingbird
import HTTPTypes
public import Hummingbird
public import Logging
public import Sluice
import SluiceBridging
import SluiceHTTPTypes

/// Runs a Hummingbird 2 `HTTPResponder` — a `Router`'s `buildResponder()` — as a Sluice
/// ``Sluice/Application``: under CGI, behind nginx over FastCGI, or standalone, through
/// `serve(app)`.
///
/// ```swift
/// let router = Router(context: SluiceRequestContext.self)
/// router.get("hello/:name") { _, context in "Hello, \(try context.parameters.require("name"))!" }
/// serve(HummingbirdApp(router))
/// ```
///
/// The responder sees the request below its mount (``Sluice/Request/mountRelativeTarget``),
/// so a router written for `/` works under `/app`. The request body streams to it as it
/// arrives. A small response body of known length is sent with the head in one write; any
/// other streams to the client as the server asks, each write sent at once, with trailers
/// where the server carries them.
///
/// An error the responder throws is the server's to answer (500, logged; Spec ERR-1), as a
/// request body over the server's limit (413) or cut short (400) is; a Router has already
/// turned Hummingbird's own `HTTPError`s into responses.
public struct HummingbirdApp<Responder: HTTPResponder>: Sluice.Application
where Responder.Context: Hummingbird.RequestContext, Responder.Context.Source == SluiceRequestContextSource {
    /// The responder requests go to.
    public let responder: Responder
    private let logger: Logger?
    private let logLevel: Logger.Level

    /// Creates the application.
    ///
    /// - Parameters:
    ///   - responder: The responder, such as `router.buildResponder()`.
    ///   - logger: The logger each request's context starts from. By default every request
    ///     gets one that writes to its own error log (Spec REQ-13): under FastCGI each line
    ///     reaches the front server's error log with its request.
    ///   - logLevel: The least severe level the default logger writes.
    public init(_ responder: Responder, logger: Logger? = nil, logLevel: Logger.Level = .info) {
        self.responder = responder
        self.logger = logger
        self.logLevel = logLevel
    }

    /// Creates the application from a router (anything that builds a responder).
    public init<Builder: HTTPResponderBuilder>(
        _ builder: Builder, logger: Logger? = nil, logLevel: Logger.Level = .info
    ) where Builder.Responder == Responder {
        self.init(builder.buildResponder(), logger: logger, logLevel: logLevel)
    }

    /// Hands the request to the responder and its response back to the server.
    public func respond(to request: Sluice.Request) async throws -> Sluice.Response {
        guard let head = request.mountRelativeHead() else { return .status(.badRequest) }
        let body = HummingbirdCore.RequestBody(asyncSequence: request.body.map { ByteBuffer(bytes: $0) })
        let source = SluiceRequestContextSource(logger: requestLogger(for: request), sluiceRequest: request)
        let response = try await responder.respond(to: HummingbirdCore.Request(head: head, body: body), context: Responder.Context(source: source))
        return Sluice.Response(
            status: Sluice.Response.Status(response.status),
            headers: Headers(response.headers),
            body: try await .bridging(response.body)
        )
    }

    /// The request's logger, with the `hb.request.id` Hummingbird's contexts read.
    private func requestLogger(for request: Sluice.Request) -> Logger {
        var logger =
            logger
            ?? Logger(label: "hummingbird") { label in
                ErrorLogHandler(label: label, errorLog: request.errorLog, logLevel: logLevel)
            }
        logger[metadataKey: "hb.request.id"] = .stringConvertible(RequestID())
        return logger
    }
}
#endif
