// The header fields of a response as they go on the wire.

import NIOHTTP1
import Sluice

/// A response field that must not be sent: a name that is not a token, or a value holding
/// CR, LF or NUL (Spec SEC-2). The server answers 500 instead.
struct InvalidResponseField: Error, CustomStringConvertible {
    var name: String

    var description: String { "the response field \(name.debugDescription) has an invalid name or value" }
}

/// Converting, checking and completing response header fields.
enum ResponseHeadFields {
    /// The application's fields as NIO's, checked for header injection, without the framing
    /// and connection fields the server owns (Spec RESP-3).
    static func validated(_ headers: Headers) throws -> HTTPHeaders {
        var fields = HTTPHeaders()
        fields.reserveCapacity(headers.count + 4)
        for field in headers {
            guard isToken(field.name), isFieldValue(field.value) else { throw InvalidResponseField(name: field.name) }
            if isServerOwned(field.name) { continue }
            fields.add(name: field.name, value: field.value)
        }
        return fields
    }

    /// Adds `Date` and, when configured, `Server`, unless the application set them.
    static func addServerFields(to fields: inout HTTPHeaders, serverHeader: String?) {
        if !fields.contains(name: "Date") {
            fields.add(name: "Date", value: HTTPDate.now())
        }
        if let serverHeader, !fields.contains(name: "Server") {
            fields.add(name: "Server", value: serverHeader)
        }
    }

    /// Fields that describe the connection or the framing, which only the server may set.
    private static func isServerOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 10: name.lowercased() == "connection" || name.lowercased() == "keep-alive"
        case 17: name.lowercased() == "transfer-encoding"
        default: false
        }
    }

    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
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
