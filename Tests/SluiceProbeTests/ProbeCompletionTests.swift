// What the probe's completion hooks saw, asked for afterwards by request id.

import Sluice
import SluiceProbe
import SluiceTesting
import Testing

@Suite("The probe's completion record")
struct ProbeCompletionTests {
    let client = TestClient(Probe())

    @Test("[LIFE-3][LIFE-4] a client gone mid-stream reaches the app as a disconnect; its hooks ran once")
    func disconnectObserved() async throws {
        try await client.get("/")
            .header("X-Probe-Id", "gone").header("X-Probe-Stream", "100000")
            .header("X-Probe-Chunks", "100").header("X-Probe-Chunk-Delay", "20")
            .stream { response in
                var chunks = response.body.makeAsyncIterator()
                _ = try await chunks.next()
                response.disconnect()
            }
        let record = try Report(try await client.get("/_probe/completions/gone?wait=5000").send())
        #expect(record.string("state") == "completed")
        #expect(record["clientDisconnected"] as? Bool == true)
        #expect(record["succeeded"] as? Bool == false)
        #expect(record.number("hookRuns") == 1)
        #expect((record.number("bodyBytesSent") ?? 0) < 100_000)
        #expect(record["producerError"] is String)
    }

    @Test("[LIFE-3] a request served in full completes with its status and byte count")
    func completedRequest() async throws {
        let response = try await client.get("/").header("X-Probe-Id", "whole").header("X-Probe-Stream", "10").send()
        #expect(response.body.count == 10)
        let record = try Report(try await client.get("/_probe/completions/whole?wait=1000").send())
        #expect(record.string("state") == "completed")
        #expect(record.number("status") == 200)
        #expect(record.number("bodyBytesSent") == 10)
        #expect(record["succeeded"] as? Bool == true)
        #expect(record["clientDisconnected"] as? Bool == false)
    }

    @Test("[LIFE-3][LIFE-4] /_probe/completions counts every request, with an id or without")
    func totals() async throws {
        _ = try await client.get("/").send()
        try await client.get("/?probe-stream=100000&probe-chunks=100&probe-chunk-delay=20").stream { response in
            var chunks = response.body.makeAsyncIterator()
            _ = try await chunks.next()
            response.disconnect()
        }
        let totals = try Report(try await client.get("/_probe/completions").send())
        #expect(totals.number("requests") == 2)
        #expect(totals.number("completed") == 2)
        #expect(totals.number("succeeded") == 1)
        #expect(totals.number("clientDisconnected") == 1)
    }

    @Test("an id the probe never saw is 404, state unknown")
    func unknownID() async throws {
        let response = try await client.get("/_probe/completions/never").send()
        #expect(response.status == .notFound)
        #expect(try Report(response).string("state") == "unknown")
    }
}
