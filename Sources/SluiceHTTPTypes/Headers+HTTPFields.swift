// Header fields: Sluice's Headers and HTTPTypes' HTTPFields, one for one.

public import HTTPTypes
public import Sluice

extension HTTPFields {
    /// The same fields, in the same order, with the same name spellings and repeats.
    ///
    /// No field is joined, split or dropped — not `Set-Cookie`, not `Cookie`.
    ///
    /// - Throws: ``HTTPTypesConversionError/invalidFieldName(_:)`` for a name that is not a
    ///   token (where `HTTPField.Name` has no value), ``HTTPTypesConversionError/invalidFieldValue(name:value:)``
    ///   for a value HTTPTypes would rewrite, ``HTTPTypesConversionError/tooManyFields(count:)``
    ///   where `HTTPFields` would trap.
    public init(_ headers: Headers) throws(HTTPTypesConversionError) {
        guard headers.count < Int(UInt16.max) else { throw .tooManyFields(count: headers.count) }
        self.init()
        reserveCapacity(headers.count)
        for field in headers {
            append(try HTTPField(field))
        }
    }
}

extension HTTPField {
    /// The same field: the name as spelled, the value byte for byte.
    init(_ field: Headers.Field) throws(HTTPTypesConversionError) {
        guard let name = HTTPField.Name(field.name) else { throw .invalidFieldName(field.name) }
        self.init(name: name, value: try HTTPField.checkedValue(field.value, of: field.name))
    }

    /// `value`, when HTTPTypes would hold it unchanged.
    static func checkedValue(_ value: String, of name: String) throws(HTTPTypesConversionError) -> String {
        guard HTTPField.isValidValue(value) else { throw .invalidFieldValue(name: name, value: value) }
        return value
    }
}

extension Headers {
    /// The same fields, in the same order, with the names as spelled (`rawName`) and repeats kept.
    ///
    /// A value that is not UTF-8 is decoded with replacement characters, as
    /// `HTTPField.value` reads it.
    public init(_ fields: HTTPFields) {
        self.init(fields.map { Headers.Field(name: $0.name.rawName, value: $0.value) })
    }
}
