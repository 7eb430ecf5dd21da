// Server rules no request from outside can observe, each with where it is checked instead.
// They appear in every report as not-applicable rows, so the matrix shows every server rule.

/// A server rule the suite cannot check over HTTP, and the test that checks it.
public struct UnobservableRule: Sendable {
    /// The rule's ID.
    public let rule: String
    /// Why a client cannot see whether the server keeps it.
    public let reason: String
    /// The test file, under `Tests/`, that checks it in-process or over the adapter's own wire.
    public let checkedBy: String

    /// The rule's row in a report.
    var result: CaseResult {
        CaseResult(caseID: rule, rules: [rule], outcome: .notApplicable, reason: "not observable over HTTP: \(reason); checked by \(checkedBy)", seconds: 0)
    }
}

extension ConformanceSuite {
    /// The server rules no HTTP request can observe (Spec chapter 16: the suite covers the
    /// rest). `CatalogSyncTests` fails when a server rule is in neither this table nor a case.
    public static let unobservableRules: [UnobservableRule] = [
        UnobservableRule(
            rule: "APP-4", reason: "RequestContext.current is visible only inside the application's task", checkedBy: "SluiceGatewayTests/GatewayTests.swift"),
        UnobservableRule(
            rule: "APP-6", reason: "request-scoped storage is visible only inside the process", checkedBy: "SluiceTests/Core/ApplicationTests.swift"),
        UnobservableRule(
            rule: "BODY-1", reason: "a second iteration of the body happens inside the application", checkedBy: "SluiceTests/Core/RequestBodyTests.swift"),
        UnobservableRule(
            rule: "BODY-3", reason: "bytes past the declared length are, on HTTP, the next request; only an adapter's own wire can carry more",
            checkedBy: "SluiceFastCGITests/BadInputTests.swift"),
        UnobservableRule(
            rule: "REQ-13", reason: "the error log goes to the server's log, not to the client", checkedBy: "SluiceFastCGITests/ResponderTests.swift"),
        UnobservableRule(
            rule: "RESP-15", reason: "whether a write suspends is inside the process; a client sees only that a slow read is survived",
            checkedBy: "SluiceHTTPTests/ProtocolTests.swift"),
        UnobservableRule(
            rule: "LIFE-1", reason: "startup() runs before the server listens; a failing one is a process that exits",
            checkedBy: "SluiceHTTPTests/LifecycleTests.swift"),
        UnobservableRule(
            rule: "LIFE-2", reason: "shutdown() runs after the last request, when no client is left to see it",
            checkedBy: "SluiceHTTPTests/LifecycleTests.swift"),
        UnobservableRule(
            rule: "LIFE-5", reason: "a graceful stop starts with a signal to the server process", checkedBy: "SluiceHTTPTests/GracefulStopTests.swift"),
        UnobservableRule(
            rule: "LIFE-6", reason: "a request timeout is the server's configuration, off unless set, and the probe has no request that hangs",
            checkedBy: "SluiceFastCGITests/RequestTimeoutTests.swift"),
        UnobservableRule(
            rule: "CGI-1", reason: "a missing or malformed REQUEST_METHOD needs a misconfigured front server", checkedBy: "SluiceCGITests/InvocationTests.swift"
        ),
        UnobservableRule(
            rule: "CGI-2", reason: "empty and repeated meta-variables are the front server's choice, not the client's",
            checkedBy: "SluiceCGIWireTests/MetaVariablesTests.swift"),
        UnobservableRule(
            rule: "CGI-12", reason: "the exit status of a CGI process reaches the front server only", checkedBy: "SluiceCGITests/StandardOutputTests.swift"),
        UnobservableRule(
            rule: "CGI-13", reason: "how a program recognises that a CGI host started it happens before any request is read",
            checkedBy: "SluiceServeTests/CGIRecognitionTests.swift"),
        UnobservableRule(
            rule: "FCGI-2", reason: "records between the front server and the adapter are out of the client's reach",
            checkedBy: "SluiceFastCGITests/RecordTests.swift"),
        UnobservableRule(
            rule: "FCGI-3", reason: "FCGI_KEEP_CONN is between the front server and the adapter", checkedBy: "SluiceFastCGITests/ResponderTests.swift"),
        UnobservableRule(
            rule: "FCGI-6", reason: "malformed records cannot be sent through a front server", checkedBy: "SluiceFastCGITests/BadInputTests.swift"),
        UnobservableRule(rule: "HTTP-9", reason: "the suite speaks cleartext; TLS's variables need a TLS client", checkedBy: "SluiceHTTPTests/TLSTests.swift"),
        UnobservableRule(
            rule: "HTTP-10", reason: "the suite speaks cleartext; failed handshakes need a TLS client", checkedBy: "SluiceHTTPTests/TLSTests.swift"),
        UnobservableRule(
            rule: "HTTP-11", reason: "a certificate reload starts with a signal to the server process", checkedBy: "SluiceHTTPTests/TLSTests.swift"),
        UnobservableRule(
            rule: "HTTP-12", reason: "a request timeout is the server's configuration, off unless set, and the probe has no request that hangs",
            checkedBy: "SluiceHTTPTests/RequestTimeoutTests.swift"),
        UnobservableRule(rule: "H2-8", reason: "a graceful stop starts with a signal to the server process", checkedBy: "SluiceHTTPTests/HTTP2Tests.swift"),
        UnobservableRule(
            rule: "FCGI-8", reason: "where the adapter accepts connections is its start-up configuration", checkedBy: "SluiceFastCGITests/LifecycleTests.swift"),
        UnobservableRule(
            rule: "FCGI-9", reason: "a slow body reaches the adapter only through a front server that does not buffer bodies",
            checkedBy: "SluiceFastCGITests/SlowClientTests.swift"),
        UnobservableRule(
            rule: "WS-7", reason: "whether the server stops reading shows only as bytes a client cannot push, which depends on socket buffers",
            checkedBy: "SluiceHTTPTests/WebSocketClientTests.swift"),
        UnobservableRule(
            rule: "WS-10", reason: "cancelling the session after a disconnect happens inside the process",
            checkedBy: "SluiceHTTPTests/WebSocketUpgradeTests.swift"),
        UnobservableRule(
            rule: "WS-11", reason: "completion hooks run inside the process; the probe records none for its WebSocket",
            checkedBy: "SluiceTests/WebSocket/WebSocketSessionTests.swift"),
        UnobservableRule(
            rule: "WS-12", reason: "a graceful stop starts with a signal to the server process", checkedBy: "SluiceHTTPTests/WebSocketClientTests.swift"),
        UnobservableRule(
            rule: "WS-15", reason: "the frame timeout is the server's configuration (30 s by default): a case would wait that long per deployment",
            checkedBy: "SluiceHTTPTests/WebSocketClientTests.swift"),
    ]
}
