// The in-process test client: a test server and a client in one, over any application.

public import Sluice

/// Sends requests to an application in-process and reads its responses, the way Werkzeug's
/// `Client` or `Plack::Test` do — with no sockets.
///
/// Behind the client is a test server that keeps the Spec's server rules: it builds each
/// ``Request`` as an HTTP/1.1 server would, runs the application through
/// ``Gateway/respond(to:with:through:hookExecutor:)`` (the driver every adapter uses), streams both bodies
/// with backpressure, answers `Expect: 100-continue` on the first read, and passes
/// informational responses and trailers on. By default the application runs inside ``Lint``,
/// and a request fails with ``LintFailure`` when Lint finds an error.
///
/// ```swift
/// let client = TestClient(app)
/// let response = try await client.post("/greet?lang=en").header("Accept", "text/plain").body("Ada").send()
/// #expect(response.status == .ok)
/// #expect(response.text == "Hello, Ada")
/// ```
public struct TestClient: Sendable {
    /// What the test server declares in every request's ``Request/capabilities`` by default:
    /// concurrent, one process, streaming both ways, flush honoured, trailers, informational
    /// responses and WebSocket delivered (Spec REQ-14).
    public static let capabilities = ServerCapabilities(
        isConcurrent: true,
        isMultiprocess: false,
        isRunOnce: false,
        streamsRequestBody: true,
        honoursFlush: true,
        supportsTrailers: true,
        supportsInformationalResponses: true,
        supportsWebSocket: true
    )

    /// The application under test.
    public let application: any Application
    /// Whether requests run inside ``Lint``.
    public let lint: Bool
    /// What this client's test server declares in each request's ``Request/capabilities``, and
    /// plays: ``capabilities`` by default.
    public let serverCapabilities: ServerCapabilities

    /// Creates a client for `application`.
    ///
    /// - Parameters:
    ///   - lint: Whether to run each request inside ``Lint`` and fail it with ``LintFailure``
    ///     when Lint reports an error; `false` runs the application bare.
    ///   - capabilities: What the test server declares, by default ``capabilities``. Give an
    ///     adapter's (such as `CGI.capabilities`) to see what the application does there. The
    ///     test server still delivers what the defaults promise, but for two: WebSocket, which
    ///     it refuses with 501 where `supportsWebSocket` is false (Spec WS-4), and request
    ///     bodies where `streamsRequestBody` is false.
    ///   - streamsRequestBody: `false` plays a server that does not stream request bodies —
    ///     the application behind nginx, Apache CGI or any front server (Spec REQ-14,
    ///     RESP-16): the capability says so, and once the application has written or flushed
    ///     response body bytes, the rest of the request body no longer arrives — a read then
    ///     fails with ``ClientDisconnected``, as it would behind such a server once its
    ///     timeout ended the wait, and Lint names the rule the application broke. `nil` keeps
    ///     what `capabilities` says.
    public init(
        _ application: some Application, lint: Bool = true,
        capabilities: ServerCapabilities = TestClient.capabilities, streamsRequestBody: Bool? = nil
    ) {
        self.application = application
        self.lint = lint
        var declared = capabilities
        if let streamsRequestBody { declared.streamsRequestBody = streamsRequestBody }
        serverCapabilities = declared
    }

    /// Starts `application` (Spec LIFE-1), runs `body` with a client for it, and shuts the
    /// application down afterwards, also when `body` throws (Spec LIFE-2). The client is made
    /// as ``init(_:lint:capabilities:streamsRequestBody:)`` says.
    public static func serving<Value>(
        _ application: some Application,
        lint: Bool = true,
        streamsRequestBody: Bool = true,
        _ body: (TestClient) async throws -> Value
    ) async throws -> Value {
        try await application.startup()
        let value: Value
        do {
            value = try await body(TestClient(application, lint: lint, streamsRequestBody: streamsRequestBody))
        } catch {
            await application.shutdown()
            throw error
        }
        await application.shutdown()
        return value
    }

    /// A request with any method, for a target such as `/path?query` (sent as is).
    public func request(_ method: Request.Method, _ target: String) -> TestRequest {
        TestRequest(client: self, method: method, target: target)
    }

    /// A `GET` request.
    public func get(_ target: String) -> TestRequest { request(.get, target) }
    /// A `HEAD` request: the response carries the head and no body (Spec RESP-6).
    public func head(_ target: String) -> TestRequest { request(.head, target) }
    /// A `POST` request.
    public func post(_ target: String) -> TestRequest { request(.post, target) }
    /// A `PUT` request.
    public func put(_ target: String) -> TestRequest { request(.put, target) }
    /// A `PATCH` request.
    public func patch(_ target: String) -> TestRequest { request(.patch, target) }
    /// A `DELETE` request.
    public func delete(_ target: String) -> TestRequest { request(.delete, target) }
    /// An `OPTIONS` request; its target may be `*`.
    public func options(_ target: String) -> TestRequest { request(.options, target) }
}
