// An ordered multimap of header fields: what a request or response carries, as received.

/// An ordered list of HTTP header fields with case-insensitive lookup.
///
/// Fields keep the order and the spelling they arrived in, and repeated fields stay separate
/// (Spec REQ-6, RESP-13): a server never joins or reorders them, so `Set-Cookie` and any other list
/// field round-trip intact. Lookups compare names ASCII-case-insensitively.
public struct Headers: Sendable, Hashable {
    /// One header field: a name and a value, both as sent.
    public struct Field: Sendable, Hashable {
        /// The field name, in the case it was given.
        public var name: String
        /// The field value, without leading or trailing whitespace.
        public var value: String

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The fields, in order.
    public private(set) var fields: [Field]

    /// Creates an empty header list.
    public init() {
        fields = []
    }

    /// Creates a header list from fields, keeping their order.
    public init(_ fields: [Field]) {
        self.fields = fields
    }

    /// Creates a header list from name–value pairs, keeping their order and duplicates.
    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value of the named field, or `nil` when it is absent.
    ///
    /// Setting a value replaces every field of that name by one field at the position of
    /// the first; setting `nil` removes them all.
    public subscript(name: String) -> String? {
        get { fields.first { $0.name.equalsIgnoringASCIICase(name) }?.value }
        set {
            guard let newValue else {
                remove(name)
                return
            }
            if let first = fields.firstIndex(where: { $0.name.equalsIgnoringASCIICase(name) }) {
                fields[first].value = newValue
                var index = fields.index(after: first)
                while index < fields.endIndex {
                    if fields[index].name.equalsIgnoringASCIICase(name) {
                        fields.remove(at: index)
                    } else {
                        index += 1
                    }
                }
            } else {
                fields.append(Field(name: name, value: newValue))
            }
        }
    }

    /// Every value of the named field, in order.
    public func values(for name: String) -> [String] {
        fields.lazy.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    /// The values of the named field joined as one, the way RFC 9110 section 5.3 allows:
    /// with `", "`, or with `"; "` for `Cookie` (RFC 6265 section 5.4).
    public func combinedValue(for name: String) -> String? {
        let all = values(for: name)
        guard !all.isEmpty else { return nil }
        return all.joined(separator: name.equalsIgnoringASCIICase("cookie") ? "; " : ", ")
    }

    /// Whether a field of that name is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// Appends a field, keeping any others of the same name.
    public mutating func append(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Appends every field of another list.
    public mutating func append(contentsOf other: Headers) {
        fields.append(contentsOf: other.fields)
    }

    /// Removes every field of that name.
    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// Makes room for `count` fields, so that building a list of known size allocates once.
    package mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }
}

extension Headers: RandomAccessCollection {
    /// The position of the first field.
    public var startIndex: Int { fields.startIndex }
    /// The position after the last field.
    public var endIndex: Int { fields.endIndex }
    /// The field at a position.
    public subscript(position: Int) -> Field { fields[position] }
}

extension Headers: ExpressibleByDictionaryLiteral {
    /// Creates a header list from a literal, keeping the literal's order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }
}

extension Headers: CustomStringConvertible {
    /// The fields as `Name: value` lines.
    public var description: String {
        fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }
}

extension String {
    /// Whether two strings are equal when ASCII letters are compared without case.
    package func equalsIgnoringASCIICase(_ other: String) -> Bool {
        let lhs = utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        // Native strings lend their bytes: comparing those avoids a generic zip over two views,
        // which does not inline, on a path every field of every request and response takes.
        let contiguous = lhs.withContiguousStorageIfAvailable { lhs in
            rhs.withContiguousStorageIfAvailable { rhs in Self.equalIgnoringASCIICase(lhs, rhs) }
        }
        if let contiguous, let equal = contiguous { return equal }
        return Self.equalIgnoringASCIICase(lhs, rhs)
    }

    /// Whether two byte sequences of the same length differ only in ASCII letters' case.
    private static func equalIgnoringASCIICase(_ lhs: some Sequence<UInt8>, _ rhs: some Sequence<UInt8>) -> Bool {
        for (a, b) in zip(lhs, rhs) where a != b {
            guard a.asciiLowercased == b.asciiLowercased else { return false }
        }
        return true
    }
}

extension UInt8 {
    /// The byte with ASCII `A`–`Z` mapped to `a`–`z`.
    package var asciiLowercased: UInt8 {
        (0x41...0x5A).contains(self) ? self | 0x20 : self
    }
}
