// --request-timeout: an application that runs too long is cancelled, answered 503 (or cut off
// after its head), completed and logged, and its worker is free at once (Spec LIFE-6).

import Foundation
import IntegrationSupport
import Testing

@Suite("FastCGI request timeout", .timeLimit(.minutes(1)))
struct RequestTimeoutTests {
    /// The battery's count of requests whose completion saw RequestTimedOut, once it reaches
    /// `expected` or 5 s passed.
    static func timeouts(_ battery: Battery, reaching expected: Int) async throws -> Int {
        var count = 0
        for _ in 0..<50 {
            count = Int(try await battery.get("/app/timeouts").body.dropLast()) ?? -1
            if count >= expected { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return count
    }

    @Test("[LIFE-6] an application stuck past the timeout, ignoring cancellation: 503, hooks run, logged, the only worker free")
    func stuckApplication() async throws {
        let battery = try await Battery(["--workers", "1", "--request-timeout", "1"])
        let start = ContinuousClock.now
        let reply = try await battery.exchange(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/stuck?ms=60000")), timeout: .seconds(20))
        let waited = ContinuousClock.now - start
        #expect(reply.status == 503)
        #expect(reply.ended)
        #expect(reply.body == "503 Service Unavailable\n")
        #expect(reply.errors.contains("GET /app/stuck?ms=60000: no response within 1.0 seconds: answered 503"))
        // Not before the limit; well before the application's 60 s (a loaded machine gets room).
        #expect(waited >= .seconds(1) && waited < .seconds(20))
        // The only worker serves the next request although the stuck task still runs.
        #expect(try await battery.get("/app/after").status == 200)
        #expect(try await Self.timeouts(battery, reaching: 1) == 1)
        #expect(battery.standardError.contains("no response within 1.0 seconds"))
    }

    @Test("[LIFE-6] an application that honours cancellation: 503 at the timeout, its task ends")
    func cancellableApplication() async throws {
        let battery = try await Battery(["--workers", "1", "--request-timeout", "0.5"])
        let reply = try await battery.get("/app/sleep?ms=60000")
        #expect(reply.status == 503)
        #expect(try await Self.timeouts(battery, reaching: 1) == 1)
        // Completed once: the task's own end, after the cancellation, runs no hook again.
        let completions = try Completions(try await battery.get("/app/completions").body)
        #expect(completions.repeated == 0)
        #expect(try await DisconnectTests.disconnections(battery, reaching: 0) == 0)
    }

    @Test("[LIFE-6] [ERR-2] a timeout after the head went out cuts the response off: no END_REQUEST")
    func afterTheHead() async throws {
        let battery = try await Battery(["--workers", "1", "--request-timeout", "1"])
        let reply = try await battery.exchange(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/stuck-midway?ms=60000")), timeout: .seconds(20))
        #expect(reply.status == 200)
        #expect(reply.body == "started\n")
        #expect(reply.closed && !reply.ended)
        #expect(reply.errors.contains("response cut off after its head"))
        #expect(try await battery.get("/app/after").status == 200)
        #expect(try await Self.timeouts(battery, reaching: 1) == 1)
    }

    @Test("[LIFE-6] requests within the timeout are untouched, on a kept connection too")
    func withinTheTimeout() async throws {
        let battery = try await Battery(["--workers", "1", "--request-timeout", "5"])
        let replies = try await battery.withConnection { client in
            (0..<3).map { _ in
                client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/sleep?ms=50"), keepConnection: true))
                return client.reply(timeout: .seconds(10))
            }
        }
        #expect(replies.map(\.status) == [200, 200, 200])
        #expect(replies.allSatisfy { $0.ended && !$0.closed })
        #expect(try await Self.timeouts(battery, reaching: 0) == 0)
    }
}
