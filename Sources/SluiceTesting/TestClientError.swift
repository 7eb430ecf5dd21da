// Why a test request did not produce a response, and Lint's loud failure.

public import Sluice

/// Why the test client could not deliver a response.
public enum TestClientError: Error, CustomStringConvertible {
    /// The request's target is not below the prefix the application is mounted at.
    case targetOutsideMount(target: String, mount: String)
    /// The exchange ended before a response head was sent, as when the application threw
    /// ``ClientDisconnected`` itself; the completion says how it ended.
    case noResponse(Completion)
    /// The response body ended abnormally after the head was sent (Spec ERR-2): the
    /// application's body producer or the gateway failed with this error.
    case responseAborted(any Error)
    /// A WebSocket handshake was answered with this response instead of `101 Switching
    /// Protocols`: the application did not accept, or the server refused (Spec WS-4).
    case webSocketRefused(TestResponse)

    /// A sentence saying what happened.
    public var description: String {
        switch self {
        case let .targetOutsideMount(target, mount):
            "the target \"\(target)\" is not below the mount \"\(mount)\""
        case let .noResponse(completion):
            "the exchange ended without a response: \(completion.error.map { "\($0)" } ?? "no error")"
        case let .responseAborted(error):
            "the response body ended abnormally: \(error)"
        case let .webSocketRefused(response):
            "the WebSocket handshake was answered \(response.status) instead of 101"
        }
    }
}

/// Lint found an error in an exchange: the server or the application broke a rule of the Spec.
///
/// The test client throws it after the exchange ended, unless it runs with `lint: false`.
public struct LintFailure: Error, CustomStringConvertible {
    /// Everything Lint reported, warnings included.
    public var violations: [LintViolation]
    /// The response, for ``TestRequest/send()``; `nil` for ``TestRequest/stream(_:)``.
    public var response: TestResponse?

    /// One line per violation, each naming its rule.
    public var description: String {
        "Lint found violations of the Sluice Spec:\n" + violations.map { "  \($0)" }.joined(separator: "\n")
    }
}
