// OpenTelemetry's semantic conventions for an HTTP server span, from a request and its outcome.

import Sluice
import Tracing

/// The attributes of a request's span, named as OpenTelemetry's HTTP semantic conventions
/// name them, so that any backend shows them in the usual places.
enum RequestSpanAttributes {
    /// What is known when the request arrives.
    static func attributes(of request: Request) -> SpanAttributes {
        var attributes = SpanAttributes()
        attributes["http.request.method"] = request.method.rawValue
        attributes["url.path"] = request.path
        if !request.queryString.isEmpty { attributes["url.query"] = request.queryString }
        attributes["url.scheme"] = request.scheme
        attributes["server.address"] = request.serverName
        attributes["server.port"] = request.serverPort
        attributes["client.address"] = request.remoteAddress
        if let port = request.remotePort { attributes["client.port"] = port }
        if let agent = request.headers["User-Agent"] { attributes["user_agent.original"] = agent }
        if request.serverProtocol.hasPrefix("HTTP/") {
            attributes["network.protocol.version"] = String(request.serverProtocol.dropFirst(5))
        }
        return attributes
    }

    /// Records the outcome: the status, the body size, and an error status when the server
    /// answered 5xx, the application failed, or the response ended early.
    static func record(_ completion: Completion, on span: some Span) {
        if let status = completion.status {
            span.attributes["http.response.status_code"] = status.code
        }
        span.attributes["http.response.body.size"] = completion.bodyBytesSent
        if let error = completion.applicationError {
            span.recordError(error)
        }
        if let error = completion.error {
            span.recordError(error)
            span.attributes["error.type"] = completion.clientDisconnected ? "client_disconnected" : "\(type(of: error))"
            span.setStatus(SpanStatus(code: .error, message: "\(error)"))
        } else if let status = completion.status, status.code >= 500 {
            span.attributes["error.type"] = String(status.code)
            span.setStatus(SpanStatus(code: .error))
        }
    }
}
