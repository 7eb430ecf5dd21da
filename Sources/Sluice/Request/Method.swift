// The request method token.

extension Request {
    /// An HTTP request method, as the client sent it (case-sensitive, RFC 9110 section 9.1).
    public struct Method: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        /// The method token, for example `GET`.
        public var rawValue: String

        /// Creates a method from its token.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// Creates a method from a string literal.
        public init(stringLiteral value: String) {
            rawValue = value
        }

        /// The token.
        public var description: String { rawValue }

        /// `GET`.
        public static let get: Method = "GET"
        /// `HEAD`: answered with the headers a `GET` would have, and no body (Spec RESP-6).
        public static let head: Method = "HEAD"
        /// `POST`.
        public static let post: Method = "POST"
        /// `PUT`.
        public static let put: Method = "PUT"
        /// `DELETE`.
        public static let delete: Method = "DELETE"
        /// `PATCH`.
        public static let patch: Method = "PATCH"
        /// `OPTIONS`.
        public static let options: Method = "OPTIONS"
        /// `TRACE`.
        public static let trace: Method = "TRACE"
        /// `CONNECT`.
        public static let connect: Method = "CONNECT"
    }
}
