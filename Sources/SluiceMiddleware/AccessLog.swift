// The access log: one line per request through swift-log, written when the response is complete.

public import Logging
public import Sluice

/// How ``Sluice/Middleware/accessLog(_:format:level:)`` writes a line.
public enum AccessLogFormat: String, Sendable, CaseIterable {
    /// The Common Log Format, as Apache's `common` and every log analyser read it.
    case common
    /// The Combined Log Format: Common, then the referer and the user agent (nginx's default).
    case combined
    /// One JSON object a line with every field, the duration and the request id among them.
    case json
}

extension Middleware {
    /// Logs one line per request to `logger` once the request is complete: after the last
    /// body byte went out — also when the body streamed on after `respond(to:)` returned —
    /// or when the client went away or the application failed (Spec LIFE-3).
    ///
    /// The line is the message, in `format`; the event's metadata carry the request id and
    /// the duration in seconds as well, for handlers that write metadata. Put
    /// ``trustedProxies(_:hops:)`` and ``requestID(header:)`` outside it so that the line
    /// shows the client behind the proxy and the id.
    public static func accessLog(_ logger: Logger, format: AccessLogFormat = .combined, level: Logger.Level = .info) -> Middleware {
        Middleware { request, next in
            let context = request.context
            let method = request.method.rawValue
            let target = request.target
            let serverProtocol = request.serverProtocol
            let remoteAddress = request.remoteAddress
            let referer = format == .common ? nil : request.headers["Referer"]
            let userAgent = format == .common ? nil : request.headers["User-Agent"]
            request.onCompletion { completion in
                guard logger.logLevel <= level else { return }
                let entry = AccessLogEntry(
                    remoteAddress: remoteAddress, startTime: WallClockTime(completion.startTime),
                    method: method, target: target, serverProtocol: serverProtocol,
                    status: completion.status.map { Int($0.code) }, bodyBytesSent: completion.bodyBytesSent,
                    duration: completion.duration, referer: referer, userAgent: userAgent,
                    requestID: context[RequestID.Key.self], failure: completion.failureText
                )
                var metadata: Logger.Metadata = ["duration": .string(entry.duration.secondsText)]
                if let id = entry.requestID { metadata["request_id"] = .string(id) }
                logger.log(level: level, "\(entry.line(format))", metadata: metadata)
            }
            return try await next.respond(to: request)
        }
    }
}

extension AccessLogEntry {
    /// The line in `format`.
    public func line(_ format: AccessLogFormat) -> String {
        switch format {
        case .common: commonLine
        case .combined: combinedLine
        case .json: jsonLine
        }
    }
}

extension Completion {
    /// How the request ended when not whole, for the log; `nil` when it was delivered whole.
    var failureText: String? {
        if clientDisconnected { return AccessLogEntry.clientDisconnected }
        return error.map { "\($0)" }
    }
}
