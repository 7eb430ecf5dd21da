// The header fields of a response as they go on the wire.

import NIOHTTP1
import Sluice

/// An informational or trailer field that must not be sent: a name that is not a token, or a
/// value holding CR, LF or NUL (Spec SEC-2). The informational response is not sent; a
/// response with such trailers is aborted.
struct InvalidResponseField: Error, CustomStringConvertible {
    var name: String

    var description: String { "the response field \(name.debugDescription) has an invalid name or value" }
}

/// Converting, checking and completing response header fields.
enum ResponseHeadFields {
    /// The fields the adapter adds to a final head, or whose absence it acts on.
    struct Present: OptionSet {
        let rawValue: UInt8
        static let contentLength = Present(rawValue: 1 << 0)
        static let date = Present(rawValue: 1 << 1)
        static let server = Present(rawValue: 1 << 2)
    }

    /// A final head's fields as NIO's, and which of `Content-Length`, `Date` and `Server` are
    /// among them: noted as each field is copied, instead of a search for each afterwards.
    /// The gateway has already refused unsendable fields and removed hop-by-hop ones (Spec
    /// SEC-2, RESP-3).
    static func converted(_ headers: Headers) -> (fields: HTTPHeaders, present: Present) {
        var fields = HTTPHeaders()
        var present: Present = []
        fields.reserveCapacity(headers.count + 4)
        for field in headers {
            if field.name.matchesIgnoringCase("content-length") {
                present.insert(.contentLength)
            } else if field.name.matchesIgnoringCase("date") {
                present.insert(.date)
            } else if field.name.matchesIgnoringCase("server") {
                present.insert(.server)
            }
            fields.add(name: field.name, value: field.value)
        }
        return (fields, present)
    }

    /// Fields that say how a message is framed or routed: never sent by an application in an
    /// informational response, and never in trailers (Spec RESP-3, RESP-11).
    enum Excluded {
        /// For informational responses: the connection and framing fields.
        case informational
        /// For trailers: those and `Host`, `Content-Type` and `Trailer` too.
        case trailers

        func contains(_ name: String) -> Bool {
            switch name.lowercased() {
            case "connection", "keep-alive", "transfer-encoding", "content-length": true
            case "host", "content-type", "trailer": self == .trailers
            default: false
            }
        }
    }

    /// Informational or trailer fields, which the gateway does not see, as NIO's: checked for
    /// header injection (Spec SEC-2), the excluded fields dropped.
    static func validated(_ headers: Headers, excluding excluded: Excluded) throws -> HTTPHeaders {
        var fields = HTTPHeaders()
        for field in headers {
            guard isToken(field.name), isFieldValue(field.value) else { throw InvalidResponseField(name: field.name) }
            if excluded.contains(field.name) { continue }
            fields.add(name: field.name, value: field.value)
        }
        return fields
    }

    /// Adds `Date` and, when configured, `Server`, unless `present` says the application set them.
    static func addServerFields(to fields: inout HTTPHeaders, serverHeader: String?, present: Present) {
        if !present.contains(.date) {
            fields.add(name: "Date", value: HTTPDate.now())
        }
        if let serverHeader, !present.contains(.server) {
            fields.add(name: "Server", value: serverHeader)
        }
    }

    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"):
                    true
                default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
                }
            }
    }

    private static func isFieldValue(_ value: String) -> Bool {
        !value.utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 }
    }
}
