// Why a Sluice value has no faithful HTTPTypes counterpart.

public import Sluice

/// A Sluice value that HTTPTypes cannot hold as it is.
///
/// HTTPTypes would silently rewrite these (invalid bytes become spaces) or trap (too many
/// fields, a status code past 999); the conversions throw instead, so that nothing is sent
/// that differs from what the application wrote.
public enum HTTPTypesConversionError: Error, Hashable, CustomStringConvertible {
    /// A header field name that is not an RFC 9110 token.
    case invalidFieldName(String)
    /// A field value with a control character, or whitespace at either end (RFC 9110
    /// section 5.5). `name` is the field's, or a pseudo-header's such as `:path`.
    case invalidFieldValue(name: String, value: String)
    /// More header fields than `HTTPFields` holds (fewer than 65,535).
    case tooManyFields(count: Int)
    /// A method that is not a token.
    case invalidMethod(String)
    /// A status code that is not three digits, 100 through 999.
    case invalidStatusCode(Int)
    /// A reason phrase with a control character other than a tab.
    case invalidReasonPhrase(String)
    /// An `HTTPRequest` without a path (such as a CONNECT request), which a Sluice request needs.
    case missingPath
    /// A request's decoded path that is not below the mount it was to be split at.
    case pathOutsideMount(path: String, mount: String)
    /// A request's path that no application may be handed (Spec REQ-15): a server answers 400.
    case unsafePath(path: String, reason: UnsafePath)

    /// A sentence saying what could not be converted.
    public var description: String {
        switch self {
        case let .invalidFieldName(name): "\"\(name)\" is not a valid header field name"
        case let .invalidFieldValue(name, value): "the value of \(name) is not a valid field value: \"\(value)\""
        case let .tooManyFields(count): "\(count) header fields are more than HTTPFields holds"
        case let .invalidMethod(method): "\"\(method)\" is not a valid method"
        case let .invalidStatusCode(code): "\(code) is not a three-digit status code"
        case let .invalidReasonPhrase(phrase): "\"\(phrase)\" is not a valid reason phrase"
        case .missingPath: "the request has no path"
        case let .pathOutsideMount(path, mount): "the path \"\(path)\" is not below the mount \"\(mount)\""
        case let .unsafePath(path, reason): "the path \(String(reflecting: path)) is refused: \(reason)"
        }
    }
}
