// What a response body's writer throws when the body breaks its declared length or order.

/// Why a response body could not be sent as the application wrote it.
public enum ResponseBodyError: Error, Hashable, CustomStringConvertible {
    /// The body wrote more bytes than its `Content-Length` declared (Spec RESP-4).
    case longerThanDeclared(declared: Int)
    /// The body ended after `written` bytes, short of its declared `Content-Length` (Spec RESP-4).
    case shorterThanDeclared(declared: Int, written: Int)
    /// The body was written to after it was finished (Spec RESP-10).
    case writtenAfterFinish

    /// A sentence saying what went wrong.
    public var description: String {
        switch self {
        case let .longerThanDeclared(declared): "the response body is longer than its Content-Length of \(declared)"
        case let .shorterThanDeclared(declared, written):
            "the response body ended after \(written) of the \(declared) bytes its Content-Length declared"
        case .writtenAfterFinish: "the response body was written to after it was finished"
        }
    }
}
