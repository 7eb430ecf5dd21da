// The transport most of these tests need: one operation, answered by the test's own handler.

import HTTPTypes
import OpenAPIRuntime
import SluiceOpenAPI

extension SluiceTransport {
    /// A transport with one operation, `POST path`, that `handler` answers.
    static func posting(
        _ path: String,
        _ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) throws -> SluiceTransport {
        let transport = SluiceTransport()
        try transport.register(handler, method: .post, path: path)
        return transport
    }
}
