// Request body failures in the runtime's own terms, so its error handling answers as a server does.

#if OpenAPI
public import HTTPTypes
public import OpenAPIRuntime
public import Sluice

extension RequestBodyError: HTTPResponseConvertible {
    /// 413 for a body over the server's limit, 400 otherwise — what the server answers to it
    /// (Spec ERR-3), so the runtime's own `ErrorHandlingMiddleware` answers the same.
    public var httpStatus: HTTPTypes.HTTPResponse.Status {
        switch self {
        case .tooLarge: .contentTooLarge
        case .truncated: .badRequest
        case .alreadyConsumed: .internalServerError
        }
    }
}
#endif
