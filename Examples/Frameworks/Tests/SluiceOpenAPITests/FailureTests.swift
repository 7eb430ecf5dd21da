// What SluiceTransport answers when something fails: as the runtime says, or as the server would.

import FrameworkTestSupport
import HTTPTypes
import OpenAPIRuntime
import Sluice
import SluiceOpenAPI
import SluiceTesting
import Synchronization
import Testing

@Suite("SluiceTransport failures")
struct FailureTests {
    struct Broken: Error {}

    /// An error the runtime knows how to answer, as generated servers' errors are.
    struct Teapot: Error, HTTPResponseConvertible {
        var httpStatus: HTTPResponse.Status { .init(code: 418) }
        var httpHeaderFields: HTTPFields { [.contentType: "text/plain"] }
        var httpBody: HTTPBody? { HTTPBody("short and stout") }
    }

    /// A handler that reads the whole body, the way generated code decodes one.
    static let reader = try! SluiceTransport.posting("/op") { _, body, _ in
        _ = try await [UInt8](collecting: body ?? HTTPBody(), upTo: .max)
        return (HTTPResponse(status: .ok), nil)
    }

    @Test("[ERR-1] a handler's plain error: 500, logged, the server goes on")
    func plainError() async throws {
        let response = try await TestClient(try SluiceTransport.posting("/op") { _, _, _ in throw Broken() }).post("/op").send()
        #expect(response.status == .internalServerError)
        #expect(response.loggedErrors.contains { $0.contains("Broken") })
    }

    @Test("an error the runtime can answer is answered as it says, and logged")
    func convertibleError() async throws {
        let response = try await TestClient(try SluiceTransport.posting("/op") { _, _, _ in throw Teapot() }).post("/op").send()
        #expect(response.status.code == 418)
        #expect(response.headers["Content-Type"] == "text/plain")
        #expect(response.text == "short and stout")
        #expect(response.loggedErrors.contains { $0.contains("answered 418") })
    }

    @Test("a ServerError is answered with its status, and its log line leaves out the request")
    func serverError() async throws {
        let transport = try SluiceTransport.posting("/op") { request, body, metadata in
            throw ServerError(
                operationID: "createTodo", request: request, requestBody: body, requestMetadata: metadata,
                causeDescription: "could not decode", underlyingError: Broken(),
                httpStatus: .badRequest, httpHeaderFields: [:], httpBody: nil
            )
        }
        let response = try await TestClient(transport).post("/op").header("Authorization", "Bearer secret").send()
        #expect(response.status == .badRequest)
        let line = try #require(response.loggedErrors.first)
        #expect(line.contains("operation createTodo: could not decode"))
        #expect(!line.contains("secret"))
    }

    @Test("[ERR-3] a request body over the server's limit: 413, as without the transport", arguments: [false, true])
    func tooLarge(wrappedByRuntime: Bool) async throws {
        let transport = wrappedByRuntime ? try Self.runtimeWrapping() : Self.reader
        let response = try await TestClient(transport.readingFailingBodies(.tooLarge(limit: 10))).post("/op").send()
        #expect(response.status == .contentTooLarge)
    }

    @Test("[ERR-3] [BODY-4] a truncated request body: 400, as without the transport", arguments: [false, true])
    func truncated(wrappedByRuntime: Bool) async throws {
        let transport = wrappedByRuntime ? try Self.runtimeWrapping() : Self.reader
        let response = try await TestClient(transport.readingFailingBodies(.truncated(expected: 10, received: 3))).post("/op").send()
        #expect(response.status == .badRequest)
    }

    /// A transport whose handler wraps a body failure the way UniversalServer does.
    static func runtimeWrapping() throws -> SluiceTransport {
        try SluiceTransport.posting("/op") { request, body, metadata in
            do {
                _ = try await [UInt8](collecting: body ?? HTTPBody(), upTo: .max)
            } catch {
                throw ServerError(
                    operationID: "op", request: request, requestBody: body, requestMetadata: metadata,
                    causeDescription: "Unknown", underlyingError: error
                )
            }
            return (HTTPResponse(status: .ok), nil)
        }
    }

    @Test("the runtime's own error handling answers body failures as the server does")
    func errorHandlingMiddleware() {
        #expect(RequestBodyError.tooLarge(limit: 1).httpStatus == .contentTooLarge)
        #expect(RequestBodyError.truncated(expected: 2, received: 1).httpStatus == .badRequest)
    }

    @Test("[LIFE-3] [LIFE-4] a client that goes away cancels the handler, and completion hooks run")
    func disconnect() async throws {
        let started = Signal<Void>()
        let completed = Signal<Completion>()
        let transport = try SluiceTransport.posting("/op") { _, _, _ in
            RequestContext.current?.onCompletion { completed.send($0) }
            started.send()
            try await Task.sleep(for: .seconds(600))
            return (HTTPResponse(status: .ok), nil)
        }
        let request = Task { try await TestClient(transport).post("/op").send() }
        await started.next()
        request.cancel()
        let completion = try #require(await completed.next())
        #expect(completion.clientDisconnected)
        #expect(completion.status == nil)
    }

    @Test("[LIFE-4] a client that goes away mid-body stops the response's stream")
    func disconnectMidBody() async throws {
        let produced = Atomic<Int>(0)
        let transport = try SluiceTransport.posting("/op") { _, _, _ in
            let chunks = AsyncThrowingStream<ArraySlice<UInt8>, any Error> {
                produced.add(1, ordering: .relaxed)
                try await Task.sleep(for: .milliseconds(1))
                return ArraySlice(repeating: 1, count: 1024)
            }
            return (HTTPResponse(status: .ok), HTTPBody(chunks, length: .unknown))
        }
        try await TestClient(transport).post("/op").stream { response in
            var body = response.body.makeAsyncIterator()
            _ = try await body.next()
            response.disconnect()
            #expect(await response.completion().clientDisconnected)
        }
        let stopped = produced.load(ordering: .relaxed)
        try await Task.sleep(for: .milliseconds(50))
        #expect(produced.load(ordering: .relaxed) == stopped)
    }
}
