// The response status code and its reason phrase.

extension Response {
    /// A response status: a three-digit code and a reason phrase.
    public struct Status: Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
        /// The status code, 100 through 599 for a valid final or informational response.
        public var code: Int
        /// The reason phrase sent with the code; empty means the standard phrase.
        public var reasonPhrase: String

        /// Creates a status; an empty reason phrase is replaced by the standard one for the code.
        public init(code: Int, reasonPhrase: String = "") {
            self.code = code
            self.reasonPhrase = reasonPhrase.isEmpty ? Status.standardReasonPhrase(for: code) : reasonPhrase
        }

        /// Creates a status from an integer literal, with its standard reason phrase.
        public init(integerLiteral value: Int) {
            self.init(code: value)
        }

        /// `code reason`, as in a status line.
        public var description: String { "\(code) \(reasonPhrase)" }

        /// Whether the status is informational (1xx).
        public var isInformational: Bool { (100...199).contains(code) }

        /// Whether a response with this status can carry a body (not 1xx, 204 or 304; RFC 9110 section 6.4.1).
        public var allowsBody: Bool { !isInformational && code != 204 && code != 304 }

        /// 100 Continue.
        public static let `continue`: Status = 100
        /// 103 Early Hints.
        public static let earlyHints: Status = 103
        /// 200 OK.
        public static let ok: Status = 200
        /// 201 Created.
        public static let created: Status = 201
        /// 204 No Content.
        public static let noContent: Status = 204
        /// 301 Moved Permanently.
        public static let movedPermanently: Status = 301
        /// 302 Found.
        public static let found: Status = 302
        /// 303 See Other.
        public static let seeOther: Status = 303
        /// 304 Not Modified.
        public static let notModified: Status = 304
        /// 307 Temporary Redirect.
        public static let temporaryRedirect: Status = 307
        /// 400 Bad Request.
        public static let badRequest: Status = 400
        /// 401 Unauthorized.
        public static let unauthorized: Status = 401
        /// 403 Forbidden.
        public static let forbidden: Status = 403
        /// 404 Not Found.
        public static let notFound: Status = 404
        /// 405 Method Not Allowed.
        public static let methodNotAllowed: Status = 405
        /// 408 Request Timeout.
        public static let requestTimeout: Status = 408
        /// 413 Content Too Large.
        public static let contentTooLarge: Status = 413
        /// 414 URI Too Long.
        public static let uriTooLong: Status = 414
        /// 417 Expectation Failed.
        public static let expectationFailed: Status = 417
        /// 422 Unprocessable Content.
        public static let unprocessableContent: Status = 422
        /// 431 Request Header Fields Too Large.
        public static let requestHeaderFieldsTooLarge: Status = 431
        /// 500 Internal Server Error.
        public static let internalServerError: Status = 500
        /// 501 Not Implemented.
        public static let notImplemented: Status = 501
        /// 502 Bad Gateway.
        public static let badGateway: Status = 502
        /// 503 Service Unavailable.
        public static let serviceUnavailable: Status = 503

        /// The reason phrase RFC 9110 gives a code, or an empty string for an unregistered one.
        public static func standardReasonPhrase(for code: Int) -> String {
            switch code {
            case 100: "Continue"
            case 101: "Switching Protocols"
            case 103: "Early Hints"
            case 200: "OK"
            case 201: "Created"
            case 202: "Accepted"
            case 203: "Non-Authoritative Information"
            case 204: "No Content"
            case 205: "Reset Content"
            case 206: "Partial Content"
            case 300: "Multiple Choices"
            case 301: "Moved Permanently"
            case 302: "Found"
            case 303: "See Other"
            case 304: "Not Modified"
            case 307: "Temporary Redirect"
            case 308: "Permanent Redirect"
            case 400: "Bad Request"
            case 401: "Unauthorized"
            case 403: "Forbidden"
            case 404: "Not Found"
            case 405: "Method Not Allowed"
            case 406: "Not Acceptable"
            case 408: "Request Timeout"
            case 409: "Conflict"
            case 410: "Gone"
            case 411: "Length Required"
            case 412: "Precondition Failed"
            case 413: "Content Too Large"
            case 414: "URI Too Long"
            case 415: "Unsupported Media Type"
            case 416: "Range Not Satisfiable"
            case 417: "Expectation Failed"
            case 421: "Misdirected Request"
            case 422: "Unprocessable Content"
            case 426: "Upgrade Required"
            case 428: "Precondition Required"
            case 429: "Too Many Requests"
            case 431: "Request Header Fields Too Large"
            case 500: "Internal Server Error"
            case 501: "Not Implemented"
            case 502: "Bad Gateway"
            case 503: "Service Unavailable"
            case 504: "Gateway Timeout"
            case 505: "HTTP Version Not Supported"
            default: ""
            }
        }
    }
}
