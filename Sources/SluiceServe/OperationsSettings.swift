// The access log, request ids and trusted proxies serve(_:) puts around an application.

import Logging
import Sluice
import SluiceMiddleware

/// What `--access-log`, `--request-id-header`, `--trusted-proxies` and `--proxy-hops` chose.
struct OperationsSettings {
    /// The access log's format; `nil` when it is off.
    var accessLog: AccessLogFormat? = .combined
    /// The request id's field; `nil` when ids are off.
    var requestIDHeader: String? = "X-Request-ID"
    /// The proxies whose forwarding fields are believed; `nil` trusts none (Spec SEC-6).
    var trustedProxies: TrustedProxies?

    /// The middleware, outermost first: proxies, then the id, then the log, so that the line
    /// shows the client behind the proxy and the id.
    func middleware(accessLogger: Logger) -> [Middleware] {
        var middleware: [Middleware] = []
        if let trustedProxies { middleware.append(.trustedProxies(trustedProxies)) }
        if let requestIDHeader { middleware.append(.requestID(header: requestIDHeader)) }
        if let accessLog { middleware.append(.accessLog(accessLogger, format: accessLog)) }
        return middleware
    }
}
