// An ordered multimap of decoded names and values: what a query string or a form holds.

/// Names and values in the order they came, repeats kept (Werkzeug's `MultiDict`).
///
/// ```swift
/// let query = try request.query()          // ?tag=a&tag=b&page=2
/// query["page"]                            // "2"
/// query.values(for: "tag")                 // ["a", "b"]
/// ```
public struct FormFields: Sendable, Hashable {
    /// One field.
    public struct Field: Sendable, Hashable {
        /// The decoded name.
        public var name: String
        /// The decoded value.
        public var value: String

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The fields, in order.
    public private(set) var fields: [Field]

    /// Creates fields from name–value pairs, keeping their order.
    public init(_ pairs: [(String, String)] = []) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value of the named field, or `nil`. Names compare exactly.
    public subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Every value of the named field, in order.
    public func values(for name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// Whether a field of that name is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { $0.name == name }
    }

    /// Appends a field, keeping any others of the same name.
    public mutating func append(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field of that name by one, or removes them all for `nil`.
    public mutating func set(_ name: String, to value: String?) {
        fields.removeAll { $0.name == name }
        if let value { append(name: name, value: value) }
    }

    /// The fields as `application/x-www-form-urlencoded` text, as the WHATWG URL standard
    /// serialises them: what goes after `?` in a link, or into a form body.
    public var encoded: String {
        fields.map { FormEncoding.encode($0.name) + "=" + FormEncoding.encode($0.value) }.joined(separator: "&")
    }
}

extension FormFields: RandomAccessCollection {
    /// The position of the first field.
    public var startIndex: Int { fields.startIndex }
    /// The position after the last field.
    public var endIndex: Int { fields.endIndex }
    /// The field at a position.
    public subscript(position: Int) -> Field { fields[position] }
}

extension FormFields: ExpressibleByDictionaryLiteral {
    /// Creates fields from a literal, in the literal's order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }
}
