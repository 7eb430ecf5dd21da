// A request under construction: the fluent half of the test client.

public import Sluice

/// A request a ``TestClient`` will send, built by chaining modifiers and sent with
/// ``send()`` (the whole response) or ``stream(_:)`` (the response as it arrives).
///
/// Each modifier returns a changed copy, so a partly built request can be reused.
public struct TestRequest: Sendable {
    /// The body the test gives, if any.
    enum Body: Sendable {
        case bytes([UInt8])
        case stream(RequestBodyStream, length: Int?)
    }

    let client: TestClient
    var method: Request.Method
    var target: String
    var headers = Headers()
    var body: Body?
    var scheme = "http"
    var host: (name: String, port: Int?) = ("localhost", nil)
    var remote: (address: String, port: Int?) = ("127.0.0.1", nil)
    var mount = ""

    init(client: TestClient, method: Request.Method, target: String) {
        self.client = client
        self.method = method
        self.target = target
    }

    /// Adds a header field after those already added; repeated names stay separate fields.
    public func header(_ name: String, _ value: String) -> TestRequest {
        changed { $0.headers.append(name: name, value: value) }
    }

    /// Adds header fields, in order, after those already added.
    public func headers(_ headers: Headers) -> TestRequest {
        changed { $0.headers.append(contentsOf: headers) }
    }

    /// Sends these bytes as the body, declared with `Content-Length`.
    public func body(_ bytes: [UInt8]) -> TestRequest {
        changed { $0.body = .bytes(bytes) }
    }

    /// Sends the text's UTF-8 bytes as the body, declared with `Content-Length`.
    public func body(_ text: String) -> TestRequest {
        body(Array(text.utf8))
    }

    /// Sends what the test writes to `stream` as the body, while the application reads it.
    ///
    /// - Parameter length: The `Content-Length` to declare, if any. Without one the body is
    ///   sent with `Transfer-Encoding: chunked` and its length is unknown to the application;
    ///   with one, the test server delivers no byte past it (Spec BODY-3) and reports a
    ///   stream that ends short of it as truncated (Spec BODY-4).
    public func body(_ stream: RequestBodyStream, length: Int? = nil) -> TestRequest {
        changed { $0.body = .stream(stream, length: length) }
    }

    /// Sends the request over `http` (the default) or `https`.
    public func scheme(_ scheme: String) -> TestRequest {
        changed { $0.scheme = scheme }
    }

    /// Addresses the request to a host: the `Host` field, ``Request/serverName`` and
    /// ``Request/serverPort`` (the scheme's default port when `port` is `nil`).
    /// Without it the request goes to `localhost`.
    public func host(_ name: String, port: Int? = nil) -> TestRequest {
        changed { $0.host = (name, port) }
    }

    /// Sends the request from this client address (by default `127.0.0.1`, no port).
    public func remote(address: String, port: Int? = nil) -> TestRequest {
        changed { $0.remote = (address, port) }
    }

    /// Serves the application under a path prefix, as a server configured to mount it there:
    /// the prefix becomes ``Request/scriptName`` and the rest of the path ``Request/pathInfo``.
    /// A target outside the prefix fails with ``TestClientError/targetOutsideMount(target:mount:)``.
    public func mounted(at prefix: String) -> TestRequest {
        changed { $0.mount = prefix }
    }

    /// Sends the request and reads the whole response.
    ///
    /// - Throws: ``LintFailure`` when Lint reported an error (unless the client runs with
    ///   `lint: false`); ``TestClientError`` when no response came back.
    public func send() async throws -> TestResponse {
        let (response, facts) = try await client.exchange(self) { streaming in
            var body: [UInt8] = []
            do {
                for try await chunk in streaming.body { body += chunk }
            } catch TestClientError.responseAborted {
                // The completion says why; the test sees the bytes that arrived, as a client would.
            }
            return TestResponse(streaming, body: body, completion: await streaming.completion())
        }
        try client.checkLint(facts, response: response)
        return response
    }

    /// Sends the request and hands the response to `read` as soon as its head arrives; the
    /// body streams while `read` runs.
    ///
    /// If `read` returns before the body ended, the client disconnects, as one that closes the
    /// connection: the application's writes then fail with ``ClientDisconnected`` (Spec LIFE-4).
    ///
    /// - Throws: What `read` throws; ``LintFailure`` when Lint reported an error;
    ///   ``TestClientError`` when no response came back.
    public func stream<Value>(_ read: (StreamingTestResponse) async throws -> Value) async throws -> Value {
        let (value, facts) = try await client.exchange(self, read)
        try client.checkLint(facts, response: nil)
        return value
    }

    private func changed(_ change: (inout TestRequest) -> Void) -> TestRequest {
        var copy = self
        change(&copy)
        return copy
    }
}
