// What a front server (or anything that connects) can send that it should not.

import Foundation
import IntegrationSupport
import Testing

@Suite("FastCGI bad input", .timeLimit(.minutes(1)))
struct BadInputTests {
    @Test("[SEC-3] [FCGI-6] a name-value length pointing past the params does not crash; the next request is served")
    func lengthBeyondTheRecord() async throws {
        let battery = try await Battery(["--workers", "1"])
        // A 2 GiB value announced in a 12-byte PARAMS stream (the shape of CVE-2025-23016).
        let bogus = FastCGIRecord.length(4) + FastCGIRecord.length(0x7FFF_FFF0) + Array("NAME".utf8) + Array("xyz".utf8)
        let reply = try await battery.exchange(
            FastCGIRecord.begin() + FastCGIRecord.stream(.params, bogus) + FastCGIRecord.stream(.standardInput, []),
            timeout: .seconds(5)
        )
        #expect(reply.output.isEmpty)
        #expect(reply.closed)
        #expect(battery.process.isRunning)
        #expect(try await battery.get("/app/after").status == 200)
    }

    @Test("[ERR-3] [FCGI-6] params over the configured size are answered 431 before the application runs")
    func paramsTooLarge() async throws {
        let battery = try await Battery(["--max-params-bytes", "4096"])
        let reply = try await battery.exchange(
            FastCGIRecord.request(
                FastCGIRecord.params("GET", "/app/big", [("HTTP_COOKIE", String(repeating: "c", count: 8000))])
            ))
        #expect(reply.status == 431)
        #expect(reply.errors.contains("431"))
        #expect(try await battery.get("/app/small").status == 200)
    }

    @Test("[ERR-3] the observer hears of each refusal by status, and of each worker taken and freed; the access log of each request")
    func observerAndAccessLog() async throws {
        let battery = try await Battery(["--max-params-bytes", "4096", "--access-log", "common"])
        _ = try await battery.exchange(
            FastCGIRecord.request(
                FastCGIRecord.params("GET", "/app/big", [("HTTP_COOKIE", String(repeating: "c", count: 8000))])
            ))
        for _ in 0..<3 { #expect(try await battery.get("/app/small").status == 200) }
        // The lines are written as the requests complete, just after their replies.
        let deadline = ContinuousClock.now + .seconds(5)
        while battery.standardError.components(separatedBy: "observer: worker idle").count < 5, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let log = battery.standardError
        #expect(log.components(separatedBy: "observer: refused 431").count - 1 == 1)
        #expect(log.components(separatedBy: "observer: worker busy").count - 1 == 4)
        #expect(log.components(separatedBy: "observer: worker idle").count - 1 == 4)
        #expect(log.components(separatedBy: #""GET /app/small HTTP/1.1" 200 "#).count - 1 == 3)
    }

    @Test("[FCGI-6] [SEC-3] params with more pairs than the limit (256) are answered 431")
    func tooManyPairs() async throws {
        let battery = try await Battery()
        let pairs = (0..<300).map { ("HTTP_X_PAIR_\($0)", "v") }
        let reply = try await battery.exchange(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/pairs", pairs)))
        #expect(reply.status == 431)
        #expect(try await battery.get("/app/small").status == 200)
    }

    @Test("[BODY-3] a body longer than CONTENT_LENGTH: the extra bytes are ignored")
    func bodyLongerThanDeclared() async throws {
        let battery = try await Battery()
        let reply = try await battery.exchange(
            FastCGIRecord.request(
                FastCGIRecord.params("POST", "/app/echo", [("CONTENT_LENGTH", "5")]), body: Array("helloEXTRA".utf8)
            ))
        #expect(reply.status == 200)
        #expect(reply.body.contains("bodyLength: 5\n"))
    }

    @Test("[BODY-4] a body shorter than CONTENT_LENGTH is truncated: 400")
    func bodyShorterThanDeclared() async throws {
        let battery = try await Battery()
        let reply = try await battery.exchange(
            FastCGIRecord.request(
                FastCGIRecord.params("POST", "/app/echo", [("CONTENT_LENGTH", "100")]), body: Array("short".utf8)
            ))
        #expect(reply.status == 400)
        #expect(reply.errors.contains("ended after 5 of 100"))
    }

    @Test("[CGI-5] a CONTENT_LENGTH over the configured limit is answered 413 without running the application")
    func declaredBodyTooLarge() async throws {
        let battery = try await Battery(["--max-body-bytes", "1000"])
        let reply = try await battery.exchange(
            FastCGIRecord.request(
                FastCGIRecord.params("POST", "/app/echo", [("CONTENT_LENGTH", "5000")]), body: [UInt8](repeating: 1, count: 5000)
            ))
        #expect(reply.status == 413)
    }

    @Test("[SEC-3] a body of unknown length over the limit is answered 413")
    func unknownBodyTooLarge() async throws {
        let battery = try await Battery(["--max-body-bytes", "1000"])
        let reply = try await battery.exchange(
            FastCGIRecord.request(
                FastCGIRecord.params("POST", "/app/echo", [("CONTENT_LENGTH", "-1")]), body: [UInt8](repeating: 1, count: 100_000)
            ))
        #expect(reply.status == 413)
    }

    @Test("[CGI-5] a CONTENT_LENGTH that is not a number is answered 400")
    func invalidLength() async throws {
        let battery = try await Battery()
        let reply = try await battery.exchange(
            FastCGIRecord.request(
                FastCGIRecord.params("POST", "/app/echo", [("CONTENT_LENGTH", "12abc")])
            ))
        #expect(reply.status == 400)
    }

    @Test("[CGI-1] params without REQUEST_METHOD are answered 500")
    func missingMethod() async throws {
        let battery = try await Battery()
        let reply = try await battery.exchange(FastCGIRecord.request([("REQUEST_URI", "/app/x")]))
        #expect(reply.status == 500)
    }

    @Test("[SEC-3] [FCGI-6] a peer that sends garbage is disconnected; the worker is free")
    func garbage() async throws {
        let battery = try await Battery(["--workers", "1", "--read-timeout", "1"])
        let closed = try await battery.withConnection { client in
            client.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            return client.closesWithin(.seconds(5))
        }
        #expect(closed)
        #expect(try await battery.get("/app/after").status == 200)
    }

    @Test("[SEC-3] [SEC-5] a peer that connects and sends nothing holds no worker, and is closed after the read timeout")
    func silentPeer() async throws {
        let battery = try await Battery(["--workers", "1", "--read-timeout", "20"])
        let path = battery.socketPath
        let silent = try (0..<3).map { _ in try FastCGIClient(path: path) }
        let start = ContinuousClock.now
        // The only worker serves others at once; the silent connections wait without one.
        // (Were it held, the request would wait for the read timeout, 20 s for each.)
        let reply = try await battery.get("/app/after")
        #expect(reply.status == 200)
        #expect(ContinuousClock.now - start < .seconds(15))
        let closed = try await onOwnThread { silent.allSatisfy { $0.closesWithin(.seconds(40)) } }
        #expect(closed)
    }

    @Test("[FCGI-6] [SEC-3] params of exactly --max-params-bytes are served; one byte more is answered 431")
    func paramsLimitExactly() async throws {
        let battery = try await Battery(["--max-params-bytes", "4096"])
        let base = FastCGIRecord.params("GET", "/app/exact")
        let used = base.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count } + "HTTP_COOKIE".utf8.count
        for (extra, status) in [(0, 200), (1, 431)] {
            let cookie = String(repeating: "c", count: 4096 - used + extra)
            let reply = try await battery.exchange(FastCGIRecord.request(base + [("HTTP_COOKIE", cookie)]))
            #expect(reply.status == status, "names and values of \(4096 + extra) bytes")
        }
    }

    @Test("[FCGI-6] [SEC-3] 64 MiB of params are answered 431 without being held: the peak resident size stays flat")
    func paramsFlood() async throws {
        let battery = try await Battery(["--workers", "2"])
        let before = try Self.peakKiB(await battery.get("/app/memory"))
        let flood = 64 << 20
        let reply = try await battery.withConnection { client in
            client.send(FastCGIRecord.begin())
            // One pair whose value is 64 MiB, in records of 32 KiB, sent as they are made.
            let head = FastCGIRecord.length(11) + FastCGIRecord.length(flood) + Array("HTTP_COOKIE".utf8)
            client.send(FastCGIRecord.record(.params, head))
            let piece = FastCGIRecord.record(.params, [UInt8](repeating: 0x63, count: 32 * 1024))
            for _ in 0..<(flood / (32 * 1024)) {
                guard client.send(piece) else { break }
            }
            client.send(FastCGIRecord.record(.params) + FastCGIRecord.stream(.standardInput, []))
            return client.reply(timeout: .seconds(30))
        }
        #expect(reply.status == 431)
        let after = try Self.peakKiB(await battery.get("/app/memory"))
        // libfcgi held all of it before the limit answered: 65 MiB more at the peak.
        #expect(after - before < 8 * 1024, "peak resident size \(before) KiB before the flood, \(after) KiB after")
    }

    /// `VmHWM` from the battery's `/memory` report, in KiB.
    static func peakKiB(_ reply: FastCGIReply) throws -> Int {
        try #require(reply.body.split(separator: "\n").first { $0.hasPrefix("VmHWM: ") }.flatMap { Int($0.dropFirst(7)) })
    }

    @Test("[SEC-3] a peer that stops in the middle of a body times out; the application sees ClientDisconnected")
    func stalledBody() async throws {
        let battery = try await Battery(["--workers", "2", "--read-timeout", "1"])
        let closed = try await battery.withConnection { client in
            client.send(
                FastCGIRecord.begin()
                    + FastCGIRecord.stream(
                        .params,
                        FastCGIRecord.pairs(
                            FastCGIRecord.params("POST", "/app/body-length", [("CONTENT_LENGTH", "100000")])
                        )) + FastCGIRecord.record(.standardInput, [1, 2, 3]))
            return client.closesWithin(.seconds(5))
        }
        #expect(closed)
        #expect(try await battery.get("/app/disconnections").body == "1\n")
    }
}
