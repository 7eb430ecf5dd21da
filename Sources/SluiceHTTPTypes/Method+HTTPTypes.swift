// Request methods, extension methods included, both ways.

public import HTTPTypes
public import Sluice

extension HTTPRequest.Method {
    /// The same method token, case kept.
    ///
    /// - Throws: ``HTTPTypesConversionError/invalidMethod(_:)`` when it is not a token.
    public init(_ method: Request.Method) throws(HTTPTypesConversionError) {
        guard let converted = HTTPRequest.Method(method.rawValue) else { throw .invalidMethod(method.rawValue) }
        self = converted
    }
}

extension Request.Method {
    /// The same method token.
    public init(_ method: HTTPRequest.Method) {
        self.init(rawValue: method.rawValue)
    }
}
