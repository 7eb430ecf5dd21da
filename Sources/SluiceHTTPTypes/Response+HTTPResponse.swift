// Response heads: status and header fields, both ways. Bodies stay with the transport.

public import HTTPTypes
public import Sluice

extension HTTPResponse {
    /// The head of `response`: its status and header fields as the application set them.
    ///
    /// The body has no place in `HTTPResponse` and is dropped. `Content-Length` is not added
    /// from the body's length: the gateway does that (Spec RESP-5), so a server should convert
    /// the head its ``ResponseWriter/writeHead(status:headers:)`` receives —
    /// `HTTPResponse(status: try .init(status), headerFields: try HTTPFields(headers))`.
    ///
    /// - Throws: ``HTTPTypesConversionError`` for a status or field HTTPTypes would change.
    public init(_ response: Response) throws(HTTPTypesConversionError) {
        self.init(status: try HTTPResponse.Status(response.status), headerFields: try HTTPFields(response.headers))
    }
}

extension Response {
    /// A response with the head of `response` and the given body (empty by default).
    public init(_ response: HTTPResponse, body: ResponseBody = .empty) {
        self.init(status: Status(response.status), headers: Headers(response.headerFields), body: body)
    }
}
