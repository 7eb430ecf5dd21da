// Why SluiceTransport refused to register an operation.

#if OpenAPI
/// An operation the transport cannot register; thrown by `registerHandlers(on:)`, at start-up.
public enum SluiceTransportError: Error, Hashable, CustomStringConvertible {
    /// A path that does not start with `/`, or has a `{parameter}` that is not a whole segment
    /// (`/files/{name}.json`), which this transport does not match.
    case invalidPath(String)
    /// A second operation for the same method and path.
    case duplicateOperation(method: String, path: String)

    /// A sentence saying what was refused.
    public var description: String {
        switch self {
        case let .invalidPath(path): "\"\(path)\" is not a path SluiceTransport can match: each {parameter} must be a whole segment"
        case let .duplicateOperation(method, path): "\(method) \(path) is registered twice"
        }
    }
}
#endif
