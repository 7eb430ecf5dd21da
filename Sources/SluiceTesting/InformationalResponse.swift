// An interim (1xx) response, as the test client received it.

public import Sluice

/// An informational (1xx) response the test server sent before the final one: a
/// `100 Continue` (Spec BODY-6) or one the application sent with
/// ``RequestContext/sendInformational(status:headers:)``, such as 103 Early Hints (Spec RESP-12).
public struct InformationalResponse: Sendable, Hashable {
    /// The status, 100...199.
    public var status: Response.Status
    /// The header fields, in order.
    public var headers: Headers

    /// Creates a record of an informational response.
    public init(status: Response.Status, headers: Headers = Headers()) {
        self.status = status
        self.headers = headers
    }
}
