// The cookies a request carries, parsed from its Cookie fields (RFC 6265 section 5.4).

public import Sluice

/// The name–value pairs of a request's `Cookie` fields, in order.
///
/// Parsing is lenient, as browsers' is: pairs are split at `;`, a pair without `=` or with an
/// empty name is skipped, and a value in double quotes loses them. Values are not decoded.
public struct Cookies: Sendable, Hashable {
    /// The cookies as sent, in order; a name may repeat (a more specific path's comes first).
    public var all: [(name: String, value: String)] { storage.map { ($0.name, $0.value) } }
    private var storage: [Pair]

    private struct Pair: Sendable, Hashable {
        var name: String
        var value: String
    }

    /// Parses the values of `Cookie` fields.
    public init(parsing fieldValues: [String]) {
        storage = []
        for value in fieldValues {
            for piece in value.split(separator: ";") {
                guard let equals = piece.firstIndex(of: "=") else { continue }
                let name = String(piece[..<equals]).trimmingASCIIWhitespace()
                var cookie = String(piece[piece.index(after: equals)...]).trimmingASCIIWhitespace()
                guard !name.isEmpty else { continue }
                if cookie.utf8.count >= 2, cookie.hasPrefix("\""), cookie.hasSuffix("\"") {
                    cookie = String(cookie.dropFirst().dropLast())
                }
                storage.append(Pair(name: name, value: cookie))
            }
        }
    }

    /// The value of the first cookie named `name`, or `nil`.
    public subscript(name: String) -> String? {
        storage.first { $0.name == name }?.value
    }

    /// Every value sent for `name`, in order.
    public func values(for name: String) -> [String] {
        storage.filter { $0.name == name }.map(\.value)
    }
}

extension Request {
    /// The cookies the request carries.
    public var cookies: Cookies {
        Cookies(parsing: headers.values(for: "Cookie"))
    }
}
