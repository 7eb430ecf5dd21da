// An error that is an HTTP answer: thrown by handlers and by the toolkit's parsers.

public import Sluice

/// An error that says which response it becomes: a status and the RFC 9457 problem details
/// that explain it (`application/problem+json`).
///
/// The toolkit's parsers throw it for bad input (400, 413, 415, 416 …); handlers throw it to
/// refuse a request. ``Router`` and ``ErrorHandlers`` turn it into ``response``:
///
/// ```swift
/// guard let note else { throw HTTPError(.notFound, detail: "no note \(id)") }
/// throw HTTPError.invalid(["title": "is required"])   // 422 with an error for each field
/// ```
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    /// The response status.
    public var status: Response.Status
    /// What went wrong with this request, for the client to read (RFC 9457 `detail`).
    public var detail: String?
    /// A URI reference naming the kind of problem (RFC 9457 `type`); `nil` means `about:blank`,
    /// the kind the status alone names.
    public var type: String?
    /// A short summary of the kind of problem (RFC 9457 `title`); `nil` means the status's
    /// reason phrase.
    public var title: String?
    /// The invalid fields of the input and what is wrong with each, sent as the member
    /// `errors` (an extension member, RFC 9457 section 3.2).
    public var fieldErrors: [String: String]
    /// Fields the response carries besides the problem, such as `Allow` for a 405.
    public var headers: Headers

    /// Creates an error answered with `status`.
    public init(
        _ status: Response.Status,
        detail: String? = nil,
        type: String? = nil,
        title: String? = nil,
        fieldErrors: [String: String] = [:],
        headers: Headers = Headers()
    ) {
        self.status = status
        self.detail = detail
        self.type = type
        self.title = title
        self.fieldErrors = fieldErrors
        self.headers = headers
    }

    /// 422 Unprocessable Content: the input is well-formed, but these fields are invalid.
    public static func invalid(_ fieldErrors: [String: String], detail: String? = nil) -> HTTPError {
        HTTPError(.unprocessableContent, detail: detail ?? "the input has invalid fields", fieldErrors: fieldErrors)
    }

    /// The status and the detail, as a log line shows them.
    public var description: String {
        "\(status.code) \(status.reasonPhrase)" + (detail.map { ": \($0)" } ?? "")
    }

    /// The error as an `application/problem+json` response (RFC 9457).
    ///
    /// Statuses that allow no body (304 and the like) get none; the members are `type` (when
    /// set), `title`, `status`, `detail` (when set) and `errors` (when there are field errors,
    /// sorted by name).
    public var response: Response {
        var response = Response(status: status, headers: headers)
        guard status.allowsBody else { return response }
        var members: [(String, String)] = []
        if let type { members.append(("type", JSONText.quoted(type))) }
        members.append(("title", JSONText.quoted(title ?? status.reasonPhrase)))
        members.append(("status", String(status.code)))
        if let detail { members.append(("detail", JSONText.quoted(detail))) }
        if !fieldErrors.isEmpty {
            let fields = fieldErrors.sorted { $0.key < $1.key }.map { ($0.key, JSONText.quoted($0.value)) }
            members.append(("errors", JSONText.object(fields)))
        }
        response.headers["Content-Type"] = "application/problem+json"
        response.body = ResponseBody(JSONText.object(members) + "\n")
        return response
    }
}
