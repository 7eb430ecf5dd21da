// Response statuses: code and reason phrase, both ways.

public import HTTPTypes
public import Sluice

extension HTTPResponse.Status {
    /// The same code and reason phrase, a custom phrase included.
    ///
    /// - Throws: ``HTTPTypesConversionError/invalidStatusCode(_:)`` for a code outside
    ///   100...999; ``HTTPTypesConversionError/invalidReasonPhrase(_:)`` for a phrase with a
    ///   control character, which HTTPTypes would turn into a space.
    public init(_ status: Response.Status) throws(HTTPTypesConversionError) {
        guard (100...999).contains(status.code) else { throw .invalidStatusCode(status.code) }
        let phraseIsValid = status.reasonPhrase.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
        guard phraseIsValid else { throw .invalidReasonPhrase(status.reasonPhrase) }
        self.init(code: status.code, reasonPhrase: status.reasonPhrase)
    }
}

extension Response.Status {
    /// The same code and reason phrase; an empty phrase becomes the code's standard one.
    public init(_ status: HTTPResponse.Status) {
        self.init(code: status.code, reasonPhrase: status.reasonPhrase)
    }
}
