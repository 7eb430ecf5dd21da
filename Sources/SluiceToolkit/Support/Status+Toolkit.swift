// The statuses the toolkit answers with that the core does not name.

public import Sluice

extension Response.Status {
    /// 206 Partial Content: the byte ranges asked for.
    public static let partialContent: Response.Status = 206
    /// 412 Precondition Failed: an `If-Match` or `If-Unmodified-Since` did not hold.
    public static let preconditionFailed: Response.Status = 412
    /// 415 Unsupported Media Type: the body is not of a type the endpoint reads.
    public static let unsupportedMediaType: Response.Status = 415
    /// 416 Range Not Satisfiable: no byte range asked for can be sent.
    public static let rangeNotSatisfiable: Response.Status = 416
}
