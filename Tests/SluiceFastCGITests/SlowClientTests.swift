// Slow and idle peers hold only what is theirs: kept connections no worker (Spec SEC-5,
// FCGI-3).

import Foundation
import Glibc
import IntegrationSupport
import Testing

@Suite("FastCGI slow and idle peers", .timeLimit(.minutes(1)))
struct SlowClientTests {
    @Test("[FCGI-3] kept connections hold no worker: one worker serves five kept connections in turn, and a new one")
    func keptConnectionsHoldNoWorker() async throws {
        let battery = try await Battery(["--workers", "1"])
        let path = battery.socketPath
        let (bodies, slowest) = try await onOwnThread {
            let clients = try (0..<5).map { _ in try FastCGIClient(path: path) }
            var bodies: [String] = []
            var slowest = Duration.zero
            for round in 0..<3 {
                for client in clients {
                    let start = ContinuousClock.now
                    client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/round\(round)"), keepConnection: true))
                    let reply = client.reply(timeout: .seconds(5))
                    slowest = max(slowest, ContinuousClock.now - start)
                    bodies.append(reply.ended && !reply.closed ? reply.body : "failed")
                }
            }
            return (bodies, slowest)
        }
        #expect(bodies.count == 15)
        #expect(bodies.allSatisfy { $0.contains("pathInfo: /round") })
        // Held by a kept connection, the worker would leave the others waiting past their 5 s.
        #expect(slowest < .seconds(4))
        #expect(try await battery.get("/app/fresh").status == 200)
    }
}
