// Running one exchange for the client: start the server side, read, end cleanly.

import Sluice

extension TestClient {
    /// Runs `request` and hands its response to `read` once the head arrived; returns what
    /// `read` returned and the facts the test server noted, after the exchange ended.
    func exchange<Value>(
        _ request: TestRequest,
        _ read: (StreamingTestResponse) async throws -> Value
    ) async throws -> (Value, ExchangeRecord.Facts) {
        let exchange = try Exchange(request)
        let server = Task { await exchange.serve() }
        return try await withTaskCancellationHandler {
            guard let head = await exchange.receiveHead() else {
                throw TestClientError.noResponse(await server.value)
            }
            let response = StreamingTestResponse(head: head, exchange: exchange, server: server)
            let value: Value
            do {
                value = try await read(response)
            } catch {
                exchange.disconnect(server)
                _ = await server.value
                throw error
            }
            let facts = exchange.record.snapshot
            let webSocketClosed = facts.webSocket?.closedCleanly ?? false
            if !facts.bodyEnded && !facts.disconnected && !webSocketClosed {
                exchange.disconnect(server)
            }
            _ = await server.value
            return (value, exchange.record.snapshot)
        } onCancel: {
            server.cancel()
        }
    }

    /// Throws ``LintFailure`` when Lint ran and reported an error.
    func checkLint(_ facts: ExchangeRecord.Facts, response: TestResponse?) throws {
        guard lint, facts.lintViolations.contains(where: { $0.severity == .error }) else { return }
        throw LintFailure(violations: facts.lintViolations, response: response)
    }
}
