// Clients that go away while the application waits: noticed at once, the application's task
// cancelled, the worker free, the completion hooks told (Spec LIFE-4, FCGI-4).

import Foundation
import Glibc
import IntegrationSupport
import Testing

/// The battery's `/completions` report.
struct Completions: CustomStringConvertible {
    let begun: Int
    let completed: Int
    let repeated: Int

    init(_ report: String) throws {
        var numbers: [String: Int] = [:]
        for line in report.split(separator: "\n") {
            let parts = line.split(separator: ":")
            if parts.count == 2 { numbers[String(parts[0])] = Int(parts[1].dropFirst()) }
        }
        begun = try #require(numbers["begun"])
        completed = try #require(numbers["completed"])
        repeated = try #require(numbers["repeated"])
    }

    /// Every request but the one that asked has run its completion hooks, each once.
    var settled: Bool { completed == begun - 1 && repeated == 0 }

    var description: String { "begun \(begun), completed \(completed), repeated \(repeated)" }
}

@Suite("FastCGI clients that go away", .timeLimit(.minutes(1)))
struct DisconnectTests {
    /// The battery's count of requests whose completion saw ClientDisconnected, once it
    /// reaches `expected` or 5 s passed.
    static func disconnections(_ get: (String) async throws -> String, reaching expected: Int) async throws -> Int {
        var count = 0
        for _ in 0..<50 {
            count = Int(try await get("/disconnections").dropLast()) ?? -1
            if count >= expected { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return count
    }

    static func disconnections(_ battery: Battery, reaching expected: Int) async throws -> Int {
        try await disconnections({ try await battery.get("/app\($0)").body }, reaching: expected)
    }

    @Test("[LIFE-4] [FCGI-4] FCGI_ABORT_REQUEST while the application waits: it is cancelled at once and the only worker is free")
    func abortWhileWaiting() async throws {
        let battery = try await Battery(["--workers", "1"])
        let start = ContinuousClock.now
        let aborted = try await battery.withConnection { client in
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/sleep?ms=60000"), keepConnection: true))
            Thread.sleep(forTimeInterval: 0.3)
            client.send(FastCGIRecord.record(.abortRequest))
            return client.reply(timeout: .seconds(5))
        }
        // Ended as an abort (Spec ERR-2): the connection closed, no END_REQUEST.
        #expect(aborted.closed && !aborted.ended)
        #expect(try await battery.get("/app/after").status == 200)
        // Unnoticed, the abort would hold the only worker for the application's 60 s; the
        // bound leaves a loaded machine room.
        #expect(ContinuousClock.now - start < .seconds(30))
        #expect(try await Self.disconnections(battery, reaching: 1) == 1)
    }

    @Test("[LIFE-4] [FCGI-4] a front server that closes the connection while the application waits: cancelled at once, the worker free")
    func closeWhileWaiting() async throws {
        let battery = try await Battery(["--workers", "1"])
        let start = ContinuousClock.now
        try await battery.withConnection { client in
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/sleep?ms=60000")))
            Thread.sleep(forTimeInterval: 0.3)
            _ = shutdown(client.descriptor, Int32(SHUT_RDWR))
        }
        #expect(try await battery.get("/app/after").status == 200)
        // Unnoticed, the close would hold the only worker for the application's 60 s.
        #expect(ContinuousClock.now - start < .seconds(30))
        #expect(try await Self.disconnections(battery, reaching: 1) == 1)
        let completions = try Completions(try await battery.get("/app/completions").body)
        #expect(completions.settled)
    }

    @Test("[FCGI-2] FCGI_GET_VALUES while the application waits is answered at once; the request goes on")
    func getValuesWhileWaiting() async throws {
        let battery = try await Battery()
        let (answeredFirst, reply) = try await battery.withConnection { client in
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/sleep?ms=3000")))
            Thread.sleep(forTimeInterval: 0.2)
            client.send(FastCGIRecord.getValues(["FCGI_MPXS_CONNS"]))
            var reply = client.reply(timeout: .seconds(5)) { $0.management(.getValuesResult) != nil }
            // Answered while the request still sleeps: its end has not arrived yet.
            let answeredFirst = !reply.ended
            let rest = client.reply(timeout: .seconds(5))
            reply.output += rest.output
            reply.ended = rest.ended
            return (answeredFirst, reply)
        }
        #expect(answeredFirst)
        #expect(reply.ended)
        #expect(reply.body == "slept\n")
    }

    @Test("[LIFE-4] behind nginx: eight clients abandoning a long poll after 0.5 s do not delay the next request", arguments: [false, true])
    func abandonedLongPolls(keepsConnections: Bool) async throws {
        try FrontServer.require(.nginx, .curl)
        let directory = try TemporaryDirectory(label: "fcgi-long-poll")
        let site = try await NginxFastCGIHost.start(
            FastCGIApp(executable: Battery.executablePath, arguments: ["--mount", "/app", "--workers", "8"]),
            overTCP: false, keepsConnections: keepsConnections, in: directory
        )
        defer { site.stop() }
        let start = ContinuousClock.now
        await withTaskGroup { group in
            for _ in 0..<8 {
                group.addTask { _ = try? await Curl.fetch(CurlRequest(site.url("/sleep?ms=60000"), maxTime: .milliseconds(500))) }
            }
        }
        let next = try await Curl.fetch(CurlRequest(site.url("/sleep?ms=0"), maxTime: .seconds(30)))
        #expect(next.status == 200, Comment(rawValue: site.logReport()))
        // Unnoticed, the abandoned polls would hold all eight workers for 60 s (and nginx
        // give up on the next request after 30 s).
        #expect(ContinuousClock.now - start < .seconds(30))
        let seen = try await Self.disconnections({ try await Curl.fetch(site.url($0)).text }, reaching: 8)
        #expect(seen == 8)
    }
}
