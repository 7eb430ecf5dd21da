import MetricsTestKit
import Sluice
import SluiceTesting
import Testing

@testable import SluiceMetrics

@Suite("Server metrics")
struct ServerMetricsTests {
    static let app = App { request in
        switch request.path {
        case "/echo": return Response(body: .init(bytes: try await request.body.collect(upTo: 1 << 20)))
        case "/missing": return .status(.notFound)
        case "/fail": throw Failure()
        default: return .text("hello")
        }
    }

    struct Failure: Error {}

    @Test("after known requests the counters hold their number, by method and status class")
    func requestCounts() async throws {
        let factory = TestMetrics()
        let metrics = ServerMetrics(factory: factory)
        let client = TestClient(Self.app.wrapped(by: metrics.middleware))
        for _ in 0..<3 { _ = try await client.get("/").send() }
        _ = try await client.get("/missing").send()
        _ = try await client.post("/echo").body("twelve bytes").send()
        _ = try await client.get("/fail").send()
        _ = try await client.request("BREW", "/").send()

        #expect(try factory.expectCounter("sluice_requests_total", [("method", "GET"), ("status", "2xx")]).totalValue == 3)
        #expect(try factory.expectCounter("sluice_requests_total", [("method", "GET"), ("status", "4xx")]).totalValue == 1)
        #expect(try factory.expectCounter("sluice_requests_total", [("method", "POST"), ("status", "2xx")]).totalValue == 1)
        #expect(try factory.expectCounter("sluice_requests_total", [("method", "GET"), ("status", "5xx")]).totalValue == 1)
        #expect(try factory.expectCounter("sluice_requests_total", [("method", "other"), ("status", "2xx")]).totalValue == 1)
        #expect(factory.counterTotal(label: "sluice_requests_total") == 7)
        #expect(try factory.expectCounter("sluice_request_body_bytes_total").totalValue == 12)
        // 4 × "hello", "twelve bytes", and the plain bodies of the 404 and the 500.
        let errorBodies = "404 Not Found\n".utf8.count + "500 Internal Server Error\n".utf8.count
        #expect(try factory.expectCounter("sluice_response_body_bytes_total").totalValue == Int64(4 * 5 + 12 + errorBodies))
        #expect(try factory.expectTimer("sluice_request_duration_seconds", [("method", "GET")]).values.count == 5)
        #expect(try factory.expectMeter("sluice_requests_in_flight").lastValue == 0)
    }

    @Test("a request in flight is counted until its streamed body ends, and its duration covers the stream")
    func inFlightUntilStreamEnds() async throws {
        let factory = TestMetrics()
        let metrics = ServerMetrics(factory: factory)
        let app = App { _ in
            Response(
                body: .stream { writer in
                    try await Task.sleep(for: .milliseconds(50))
                    try await writer.write("late")
                })
        }
        _ = try await TestClient(app.wrapped(by: metrics.middleware)).get("/").send()
        let inFlight = try factory.expectMeter("sluice_requests_in_flight")
        #expect(inFlight.values == [1, 0])
        let durations = try factory.expectTimer("sluice_request_duration_seconds", [("method", "GET")]).values
        #expect(durations.count == 1 && durations[0] >= 50_000_000)
    }

    @Test("the observer counts connections, busy workers and refusals by status")
    func observerEvents() throws {
        let factory = TestMetrics()
        let metrics = ServerMetrics(factory: factory)
        metrics.connectionOpened()
        metrics.connectionOpened()
        metrics.connectionClosed()
        metrics.workerBecameBusy()
        metrics.requestRefused(status: .requestHeaderFieldsTooLarge)
        metrics.requestRefused(status: .requestHeaderFieldsTooLarge)
        metrics.requestRefused(status: .requestTimeout)
        #expect(try factory.expectMeter("sluice_connections_open").lastValue == 1)
        #expect(try factory.expectMeter("sluice_workers_busy").lastValue == 1)
        #expect(try factory.expectCounter("sluice_requests_refused_total", [("status", "431")]).totalValue == 2)
        #expect(try factory.expectCounter("sluice_requests_refused_total", [("status", "408")]).totalValue == 1)
    }

    @Test("labels stay few: unknown methods are other, a missing head is none")
    func boundedLabels() {
        #expect(ServerMetrics.methodLabel("PATCH") == "PATCH")
        #expect(ServerMetrics.methodLabel(Request.Method(rawValue: String(repeating: "X", count: 1000))) == "other")
        #expect(ServerMetrics.methodLabel("get") == "other")
        #expect(ServerMetrics.statusLabel(nil) == "none")
        #expect(ServerMetrics.statusLabel(.ok) == "2xx")
        #expect(ServerMetrics.statusLabel(Response.Status(code: 999)) == "none")
    }

    @Test("a prefix renames every metric")
    func prefix() async throws {
        let factory = TestMetrics()
        let metrics = ServerMetrics(prefix: "shop", factory: factory)
        _ = try await TestClient(Self.app.wrapped(by: metrics.middleware)).get("/").send()
        #expect(factory.counterTotal(label: "shop_requests_total") == 1)
    }
}
