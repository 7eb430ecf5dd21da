// The request id: taken from the front server's header when it is sane, made when absent.

public import Sluice

/// The id of one request, for the access log, the error log and the response: taken from the
/// front server's header (`X-Request-ID` by default) when it holds one, made otherwise.
public enum RequestID {
    /// The longest id taken from a request; a longer value is replaced by a new id.
    public static let maximumLength = 128

    /// The id of the request the current task is handling, or `nil` outside a request or
    /// when no ``Sluice/Middleware/requestID(header:)`` ran.
    public static var current: String? { RequestContext.current?[Key.self] }

    /// The key the id is stored under in the request's context.
    public enum Key: StorageKey {
        /// The id itself.
        public typealias Value = String
    }

    /// Whether `value` may be used as an id: 1 to ``maximumLength`` visible ASCII characters,
    /// none of them a quote or a backslash, so that it needs no escaping in any log format.
    public static func isAcceptable(_ value: String) -> Bool {
        let bytes = value.utf8
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
        return bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    /// A new id: 128 random bits as 32 lowercase hexadecimal digits, as nginx's `$request_id`.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(32)
        for _ in 0..<2 {
            var word = generator.next() as UInt64
            for _ in 0..<16 {
                text.append(digits[Int(word & 0xF)])
                word >>= 4
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension Request {
    /// This request's id, once ``Sluice/Middleware/requestID(header:)`` ran.
    public var requestID: String? { context[RequestID.Key.self] }
}

extension Middleware {
    /// Gives every request an id: the value of `header` when the front server sent an acceptable
    /// one (``RequestID/isAcceptable(_:)``), a new one (``RequestID/make()``) otherwise. The id
    /// goes into the request's context (``Sluice/Request/requestID``, ``RequestID/current``), the
    /// request's `header` (replacing what was there, so code that forwards it passes the same
    /// id on) and the response's `header` — but for a local redirect, which must stay a lone
    /// `Location` field for the server to follow it.
    ///
    /// Put it outside ``accessLog(_:format:level:)`` so that the log line carries the id, and
    /// give swift-log ``RequestID/metadataProvider`` so that every line logged during the
    /// request does.
    public static func requestID(header: String = "X-Request-ID") -> Middleware {
        Middleware { request, next in
            var request = request
            let sent = request.headers[header]
            let id: String
            if let sent, request.headers.values(for: header).count == 1, RequestID.isAcceptable(sent) {
                id = sent
            } else {
                id = RequestID.make()
                request.headers.remove(header)
                request.headers.append(name: header, value: id)
            }
            request.context[RequestID.Key.self] = id
            var response = try await next.respond(to: request)
            // A local redirect is a lone Location field (Spec HTTP-5, CGI-11): another field
            // would make it a response the client gets.
            guard !response.isLocalRedirect else { return response }
            response.headers.remove(header)
            response.headers.append(name: header, value: id)
            return response
        }
    }
}
