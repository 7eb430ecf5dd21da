// A response read to its end.

public import Sluice

/// Everything a test learns from one exchange: the response as the client received it, and
/// what the test server saw — flushes, `100 Continue`, Lint's findings, the application's log.
public struct TestResponse: Sendable {
    /// The status.
    public var status: Response.Status
    /// The header fields as the server sent them, in order, repeats kept (Spec RESP-13).
    public var headers: Headers
    /// The body bytes that arrived; all of them unless ``completion`` holds an error.
    public var body: [UInt8]
    /// The trailer fields, or `nil` when the body ended without any (Spec RESP-11).
    public var trailers: Headers?
    /// The informational responses that came before the head, `100 Continue` included (Spec RESP-12).
    public var informational: [InformationalResponse]
    /// Whether the test server sent `100 Continue`: only when the request had
    /// `Expect: 100-continue` and the application read its body before answering (Spec BODY-6).
    public var continueSent: Bool
    /// The body offsets at which the application flushed (Spec RESP-9).
    public var flushOffsets: [Int]
    /// The outcome the completion hooks saw (Spec LIFE-3).
    public var completion: Completion
    /// What Lint reported, warnings included; empty when the client runs with `lint: false`.
    public var lintViolations: [LintViolation]
    /// The lines written to the request's ``Request/errorLog``, by the application or the
    /// gateway (Spec ERR-1, REQ-13).
    public var loggedErrors: [String]

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    init(_ streaming: StreamingTestResponse, body: [UInt8], completion: Completion) {
        let facts = streaming.exchangeFacts
        status = streaming.status
        headers = streaming.headers
        self.body = body
        trailers = facts.trailers
        informational = streaming.informational
        continueSent = streaming.continueSent
        flushOffsets = facts.flushOffsets
        self.completion = completion
        lintViolations = facts.lintViolations
        loggedErrors = facts.loggedErrors
    }
}
