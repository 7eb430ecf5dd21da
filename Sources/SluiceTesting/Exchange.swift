// One request in flight: the server side runs the application, the client side reads.

import Sluice
import SluiceGateway

/// One exchange between the test client and the test server.
///
/// The server side (``serve()``) runs the application through the gateway and writes to a
/// ``TestConnection``; the client side takes what arrives from ``events``.
final class Exchange: Sendable {
    let record: ExchangeRecord
    let events: Handoff<ServerEvent>
    /// The request the application runs for, or why the server answers it itself.
    private let admission: Result<Request, Rejection>
    private let application: any Application
    private let upload: RequestBodyStream?

    init(_ test: TestRequest) throws(TestClientError) {
        let record = ExchangeRecord()
        let events = Handoff<ServerEvent>()
        let expectsContinue = test.headers["Expect"]?.lowercased() == "100-continue"
        let origin: TestRequestBodySource.Origin
        switch test.body {
        case nil: origin = .bytes([])
        case let .bytes(bytes): origin = .bytes(bytes)
        case let .stream(stream, _): origin = .stream(stream)
        }
        let client = test.client
        let capabilities = client.serverCapabilities
        let source = TestRequestBodySource(
            origin, declaredLength: test.declaredLength,
            onFirstRead: {
                try await Exchange.continueOnFirstRead(expectsContinue: expectsContinue, record: record, events: events)
            },
            isCutOff: {
                // A front server that does not stream the body stops sending it once the
                // response is on its way (Spec RESP-16).
                !capabilities.streamsRequestBody && record.update { $0.responseBodyStarted }
            }
        )
        admission = try test.serverRequest(
            body: RequestBody(expectedLength: test.declaredLength, source: source),
            errorLog: record.errorLog,
            capabilities: capabilities
        )
        if case let .stream(stream, _) = test.body { upload = stream } else { upload = nil }
        application = client.lint ? Lint(client.application, report: record.note) : client.application
        self.record = record
        self.events = events
    }

    /// Runs the application for the request — or answers it as a server would, when the
    /// request may not reach one — then ends both bodies: the test's unread upload is dropped
    /// (Spec BODY-5), and the client learns whether the response ended abnormally.
    func serve() async -> Completion {
        let connection = TestConnection(events: events, record: record)
        let completion =
            switch admission {
            case let .success(request): await Gateway.respond(to: request, with: application, through: connection)
            case let .failure(rejection):
                await rejection.answer(through: connection, errorLog: record.errorLog, capabilities: TestClient.capabilities)
            }
        // After a WebSocket session, the connection ends with the client's answer to the close.
        await record.snapshot.webSocket?.closed()
        upload?.chunks.close()
        events.finish(throwing: completion.error.map(TestClientError.responseAborted))
        return completion
    }

    /// Reads informational responses up to the final head; `nil` when the exchange ended
    /// without one (the completion says why).
    func receiveHead() async -> (status: Response.Status, headers: Headers)? {
        while let event = try? await events.receive() {
            switch event {
            case let .informational(response):
                record.update { $0.informational.append(response) }
            case let .head(status, headers):
                return (status, headers)
            case let .switched(connection):
                return (.switchingProtocols, connection.headers)
            case .bytes, .end:
                preconditionFailure("the test server sent body bytes before the response head")
            }
        }
        return nil
    }

    /// The next chunk of the response body, or `nil` at its end.
    ///
    /// - Throws: ``TestClientError/responseAborted(_:)`` when the body ended abnormally.
    func receiveBodyChunk() async throws -> [UInt8]? {
        switch try await events.receive() {
        case nil:
            return nil
        case let .bytes(bytes):
            return bytes
        case let .end(trailers):
            record.update { facts in
                facts.trailers = trailers
                facts.bodyEnded = true
            }
            return nil
        case .informational, .head, .switched:
            preconditionFailure("the test server sent a response head after the body began")
        }
    }

    /// Simulates the client going away: the application's task is cancelled and its writes
    /// fail with ``ClientDisconnected`` (Spec LIFE-4).
    func disconnect(_ server: Task<Completion, Never>) {
        record.update { $0.disconnected = true }
        record.snapshot.webSocket?.clientLeft()
        events.close(throwing: ClientDisconnected())
        server.cancel()
    }

    /// Sends `100 Continue` when the request expects it and the final head is not out yet:
    /// only on the application's first read, never when it answers without reading (Spec BODY-6).
    private static func continueOnFirstRead(
        expectsContinue: Bool,
        record: ExchangeRecord,
        events: Handoff<ServerEvent>
    ) async throws {
        guard expectsContinue else { return }
        let sends = record.update { facts -> Bool in
            guard !facts.headWritten, !facts.continueSent else { return false }
            facts.continueSent = true
            return true
        }
        guard sends else { return }
        do {
            try await events.send(.informational(InformationalResponse(status: .continue)))
        } catch is CancellationError {
            throw ClientDisconnected()
        }
    }
}
