// One part of a multipart/form-data body, as its header block describes it.

public import Sluice

/// A part's header fields and what they say: its field name, file name and media type.
public struct MultipartPart: Sendable {
    /// The part's header fields, as sent.
    public var headers: Headers
    /// The form field's name, from `Content-Disposition: form-data; name="…"`.
    public var name: String
    /// The file name the client gave, made safe to use as a file name (``FileName/sanitised(_:)``);
    /// `nil` for a plain field, or when nothing safe is left of it.
    public var filename: String?
    /// The file name exactly as the client sent it: never use it as a path.
    public var originalFilename: String?
    /// The part's `Content-Type`; `text/plain` when absent (RFC 7578 section 4.4).
    public var contentType: String

    /// Whether the part is a file upload: it has a `filename` parameter, even an empty one.
    public var isFile: Bool { originalFilename != nil }

    /// Reads a part's headers.
    ///
    /// - Throws: ``HTTPError`` 400 when `Content-Disposition` is missing, is not `form-data`,
    ///   or names no field (RFC 7578 section 4.2).
    init(headers: Headers) throws {
        guard let field = headers["Content-Disposition"], let disposition = ParameterizedValue(parsing: field),
            disposition.value == "form-data", let name = disposition.parameter("name")
        else {
            throw HTTPError(.badRequest, detail: "a part of the multipart body has no `Content-Disposition: form-data; name=…`")
        }
        self.headers = headers
        self.name = name
        originalFilename = disposition.parameter("filename")
        filename = originalFilename.flatMap(FileName.sanitised)
        contentType = headers["Content-Type"] ?? "text/plain"
    }
}
