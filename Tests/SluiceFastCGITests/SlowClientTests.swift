// Slow and idle peers hold only what is theirs: kept connections no worker, slow bodies
// their worker only until the minimum rate cuts them (Spec SEC-5, FCGI-3, FCGI-9).

import Foundation
import Glibc
import IntegrationSupport
import Testing

/// An HTTP client that sends a request head, then its body a byte at a time.
enum SlowUpload {
    /// What became of one slow upload.
    struct Outcome: Sendable {
        /// Whether the server answered or closed before the uploader gave up.
        let ended: Bool
        /// How long that took.
        let elapsed: Duration
        /// The status line, if a response came.
        let statusLine: String
    }

    /// POSTs to `path` on 127.0.0.1:`port` declaring `length` bytes, then sends one byte every
    /// `interval` until the server answers or closes, or `limit` passed.
    static func run(port: Int, path: String, length: Int = 100_000, interval: Duration = .milliseconds(250), limit: Duration) -> Outcome {
        let start = ContinuousClock.now
        guard let client = try? FastCGIClient(port: port) else { return Outcome(ended: true, elapsed: .zero, statusLine: "cannot connect") }
        let socket = client.descriptor
        client.send(Array("POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Length: \(length)\r\n\r\n".utf8))
        var received: [UInt8] = []
        while ContinuousClock.now - start < limit {
            let sent = client.send([0x61])
            var waiting = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(interval.components.attoseconds / 1_000_000_000_000_000 + interval.components.seconds * 1000)
            if !sent || poll(&waiting, 1, milliseconds) > 0 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = recv(socket, &buffer, buffer.count, 0)
                if count > 0 { received += buffer.prefix(count) }
                let line = String(decoding: received.prefix { $0 != 13 }, as: UTF8.self)
                return Outcome(ended: true, elapsed: ContinuousClock.now - start, statusLine: line)
            }
        }
        return Outcome(ended: false, elapsed: ContinuousClock.now - start, statusLine: "")
    }
}

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
                    let reply = client.reply(timeout: .seconds(30))
                    slowest = max(slowest, ContinuousClock.now - start)
                    bodies.append(reply.ended && !reply.closed ? reply.body : "failed")
                }
            }
            return (bodies, slowest)
        }
        #expect(bodies.count == 15)
        #expect(bodies.allSatisfy { $0.contains("pathInfo: /round") })
        // Held by a kept connection, the worker would leave the others waiting for the read
        // timeout, 90 s.
        #expect(slowest < .seconds(20))
        #expect(try await battery.get("/app/fresh").status == 200)
    }

    /// BEGIN_REQUEST and the params of a POST to `path` declaring `length` bytes of body.
    static func uploadStart(_ path: String, length: Int) -> [UInt8] {
        FastCGIRecord.begin()
            + FastCGIRecord.stream(
                .params,
                FastCGIRecord.pairs(
                    FastCGIRecord.params("POST", path, [("CONTENT_LENGTH", "\(length)")])
                ))
    }

    @Test("[SEC-5] [FCGI-9] a body trickling below --min-body-rate after the grace is cut: the worker is free, the hooks see ClientDisconnected")
    func trickleIsCut() async throws {
        let battery = try await Battery(["--workers", "1", "--min-body-rate", "1000", "--body-rate-grace", "1"])
        let (closed, elapsed) = try await battery.withConnection { client in
            let start = ContinuousClock.now
            client.send(Self.uploadStart("/app/body-length", length: 100_000))
            while ContinuousClock.now - start < .seconds(30) {
                guard client.send(FastCGIRecord.record(.standardInput, [0x61])) else { break }
                if client.reply(timeout: .milliseconds(100)).closed { return (true, ContinuousClock.now - start) }
            }
            return (false, ContinuousClock.now - start)
        }
        #expect(closed)
        // Cut after the 1 s grace and the credit of the bytes sent; unlimited, never within 30 s.
        #expect(elapsed < .seconds(20))
        #expect(try await battery.get("/app/after").status == 200)
        #expect(try await DisconnectTests.disconnections(battery, reaching: 1) == 1)
        #expect(battery.standardError.contains("slower than 1000 bytes a second"))
    }

    @Test("[SEC-5] [FCGI-9] a body that keeps the minimum rate on average is read whole, pauses and all; no minimum lets any body trickle")
    func rateKeptOrOff() async throws {
        let battery = try await Battery(["--min-body-rate", "1000", "--body-rate-grace", "1"])
        let body = [UInt8](repeating: 0x62, count: 60_000)
        let reply = try await battery.withConnection { client in
            client.send(Self.uploadStart("/app/body-length", length: body.count))
            client.send(FastCGIRecord.record(.standardInput, Array(body.prefix(30_000))))
            // 30 000 bytes earn 30 s at 1000 a second: a pause of 1.5 s is well within.
            Thread.sleep(forTimeInterval: 1.5)
            client.send(FastCGIRecord.stream(.standardInput, Array(body.suffix(30_000))))
            return client.reply(timeout: .seconds(5))
        }
        #expect(reply.body == "bodyLength: 60000\n")
        let unlimited = try await Battery(["--min-body-rate", "0"])
        let trickled = try await unlimited.withConnection { client in
            client.send(Self.uploadStart("/app/body-length", length: 12))
            for _ in 0..<12 {
                client.send(FastCGIRecord.record(.standardInput, [0x61]))
                Thread.sleep(forTimeInterval: 0.2)
            }
            client.send(FastCGIRecord.record(.standardInput))
            return client.reply(timeout: .seconds(5))
        }
        #expect(trickled.body == "bodyLength: 12\n")
    }

    @Test("[SEC-5] [FCGI-9] behind nginx with fastcgi_request_buffering off, ten slow uploaders against 8 workers do not make other requests time out")
    func slowUploadersBehindNginx() async throws {
        try FrontServer.require(.nginx, .curl)
        let directory = try TemporaryDirectory(label: "fcgi-slow-uploads")
        let site = try await NginxFastCGIHost.start(
            FastCGIApp(
                executable: Battery.executablePath,
                arguments: [
                    "--mount", "/app", "--workers", "8", "--min-body-rate", "1000", "--body-rate-grace", "2",
                ]),
            overTCP: false, keepsConnections: true, buffersRequestBodies: false, in: directory
        )
        defer { site.stop() }
        let port = site.server.port
        let uploads = (0..<10).map { _ in
            Task { try await onOwnThread { SlowUpload.run(port: port, path: "/app/body-length", limit: .seconds(40)) } }
        }
        try await Task.sleep(for: .milliseconds(500))
        var slowest = Duration.zero
        for _ in 0..<10 {
            let start = ContinuousClock.now
            let reply = try await Curl.fetch(CurlRequest(site.url("/sleep?ms=0"), maxTime: .seconds(25)))
            slowest = max(slowest, ContinuousClock.now - start)
            #expect(reply.status == 200)
        }
        var outcomes: [SlowUpload.Outcome] = []
        for upload in uploads {
            outcomes.append(try await upload.value)
        }
        print(
            "figures: ten slow uploaders against 8 workers: the slowest of ten other requests took \(slowest); the uploaders were cut after \(outcomes.map(\.elapsed).min() ?? .zero) to \(outcomes.map(\.elapsed).max() ?? .zero)"
        )
        // Each uploader holds a worker for the grace period at most, so the others waited at
        // most about that long — not until nginx's timeouts.
        // Unlimited, the uploaders would hold all eight workers for their 40 s.
        #expect(slowest < .seconds(20), "the slowest ordinary request took \(slowest)")
        #expect(outcomes.allSatisfy { $0.ended }, "\(outcomes.map(\.elapsed))")
        #expect(outcomes.allSatisfy { $0.elapsed < .seconds(30) }, "\(outcomes.map(\.elapsed))")
    }
}
