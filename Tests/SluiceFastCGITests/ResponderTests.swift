// The responder against raw FastCGI records: what the application sees, what the server gets.

import Foundation
import IntegrationSupport
import Testing

@Suite("FastCGI responder", .timeLimit(.minutes(1)))
struct ResponderTests {
    @Test("[CGI-3] the configured mount splits the decoded REQUEST_URI, whatever SCRIPT_NAME says")
    func mountSplit() async throws {
        let battery = try await Battery()
        let reply = try await battery.exchange(
            FastCGIRecord.request(
                FastCGIRecord.params("GET", "/app/hello/w%C3%B6rld%2Fx?q=1", [("SCRIPT_NAME", "/app/hello/wörld/x"), ("PATH_INFO", "")])
            ))
        #expect(reply.status == 200)
        #expect(reply.body.contains("scriptName: /app\n"))
        #expect(reply.body.contains("pathInfo: /hello/wörld/x\n"))
        #expect(reply.body.contains("target: /app/hello/w%C3%B6rld%2Fx?q=1\n"))
        #expect(reply.body.contains("queryString: q=1\n"))
        #expect(reply.ended)
    }

    @Test("[CGI-4] repeated HTTP_ params stay separate header fields, in order")
    func repeatedParams() async throws {
        let battery = try await Battery()
        let reply = try await battery.exchange(
            FastCGIRecord.request(
                FastCGIRecord.params("GET", "/app/dup", [("HTTP_X_DUP", "one"), ("HTTP_X_DUP", "two"), ("HTTP_PROXY", "evil")])
            ))
        #expect(reply.body.contains("header: X-Dup: one\nheader: X-Dup: two\n"))
        #expect(reply.body.contains("header: Proxy: evil\n"))
    }

    @Test("[CGI-9] [FCGI-1] CONTENT_LENGTH=-1 means unknown: FCGI_STDIN is read to its end")
    func unknownLength() async throws {
        let battery = try await Battery()
        let body = [UInt8](repeating: 7, count: 200_000)
        let reply = try await battery.exchange(
            FastCGIRecord.request(
                FastCGIRecord.params("POST", "/app/echo", [("CONTENT_LENGTH", "-1")]), body: body
            ))
        #expect(reply.status == 200)
        #expect(reply.body.contains("expectedLength: unknown\n"))
        #expect(reply.body.contains("bodyLength: 200000\n"))
    }

    @Test(
        "[WS-3] [WS-4] a WebSocket handshake in FastCGI params: an acceptance is refused with 501; an application that checks supportsWebSocket answers itself")
    func webSocketRefused() async throws {
        let battery = try await Battery()
        let handshake = [
            ("HTTP_UPGRADE", "websocket"), ("HTTP_CONNECTION", "Upgrade"), ("HTTP_SEC_WEBSOCKET_KEY", "dGhlIHNhbXBsZSBub25jZQ=="),
            ("HTTP_SEC_WEBSOCKET_VERSION", "13"),
        ]
        let refused = try await battery.exchange(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/websocket", handshake)))
        #expect(refused.status == 501)
        #expect(refused.ended)
        #expect(refused.errors.contains("answered 501"))
        let aware = try await battery.exchange(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/websocket-aware", handshake)))
        #expect(aware.status == 200)
        #expect(aware.body == "supportsWebSocket: false\n")
    }

    @Test("[REQ-13] the error log reaches FCGI_STDERR and the process's standard error")
    func errorLog() async throws {
        let battery = try await Battery()
        let reply = try await battery.get("/app/log")
        #expect(reply.status == 200)
        #expect(reply.errors.contains("battery log line"))
        #expect(battery.standardError.contains("battery log line"))
    }

    @Test("[ERR-1] an application that throws gets a 500, logged on FCGI_STDERR; the worker lives")
    func applicationThrows() async throws {
        let battery = try await Battery(["--workers", "1"])
        let failed = try await battery.get("/app/fail")
        #expect(failed.status == 500)
        #expect(failed.ended)
        #expect(failed.errors.contains("BatteryFailure"))
        #expect(battery.standardError.contains("BatteryFailure"))
        let next = try await battery.get("/app/after")
        #expect(next.status == 200)
    }

    @Test("[ERR-2] a body that throws after the head ends the connection without END_REQUEST")
    func bodyThrows() async throws {
        let battery = try await Battery()
        let reply = try await battery.get("/app/fail-midway")
        #expect(reply.body.contains("partial"))
        #expect(!reply.ended)
        #expect(reply.closed)
    }

    @Test("[RESP-9] flush sends what was written before the application finishes")
    func flushReachesTheServer() async throws {
        let battery = try await Battery()
        let (gap, whole) = try await battery.withConnection { client in
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/stream?ms=1500")))
            let first = client.reply(timeout: .seconds(5), stopAfterOutput: "first")
            let firstAt = ContinuousClock.now
            let rest = client.reply(timeout: .seconds(5))
            return (ContinuousClock.now - firstAt, String(decoding: first.output + rest.output, as: UTF8.self))
        }
        // The application waits 1.5 s after its flush: the first piece arrived well before the rest,
        // however late a loaded machine ran either.
        #expect(gap > .milliseconds(700))
        #expect(whole.contains("first\nsecond\n"))
    }

    @Test("[FCGI-1] HTTP_TRANSFER_ENCODING=chunked does not make the adapter de-chunk FCGI_STDIN again")
    func noSecondDechunking() async throws {
        let battery = try await Battery()
        let chunkedLooking = Array("5\r\nhello\r\n0\r\n\r\n".utf8)
        let reply = try await battery.exchange(
            FastCGIRecord.request(
                FastCGIRecord.params("POST", "/app/echo", [("HTTP_TRANSFER_ENCODING", "chunked")]), body: chunkedLooking
            ))
        #expect(reply.status == 200)
        #expect(reply.body.contains("expectedLength: unknown\n"))
        #expect(reply.body.contains("bodyLength: \(chunkedLooking.count)\n"))
    }

    @Test("[RESP-6] HEAD gets the head, with the length, and no body")
    func head() async throws {
        let battery = try await Battery()
        let reply = try await battery.exchange(FastCGIRecord.request(FastCGIRecord.params("HEAD", "/app/download?bytes=1000")))
        #expect(reply.status == 200)
        #expect(reply.head?.contains("Content-Length: 1000") == true)
        #expect(reply.body.isEmpty)
    }

    @Test("[FCGI-3] FCGI_KEEP_CONN: several requests in turn on one connection, more kept connections than one worker could hold")
    func keptConnections() async throws {
        let battery = try await Battery(["--workers", "3"])
        let path = battery.socketPath
        let bodies = try await onOwnThread {
            let clients = try (0..<2).map { _ in try FastCGIClient(path: path) }
            var bodies: [String] = []
            for round in 0..<3 {
                for client in clients {
                    client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/round\(round)"), keepConnection: true))
                    let reply = client.reply(timeout: .seconds(5))
                    bodies.append(reply.ended && !reply.closed ? reply.body : "failed")
                }
            }
            return bodies
        }
        #expect(bodies.count == 6)
        #expect(bodies.allSatisfy { $0.contains("pathInfo: /round") })
        // The third worker still accepts fresh connections while two are kept.
        #expect(try await battery.get("/app/fresh").status == 200)
    }

    @Test("[LIFE-4] [FCGI-4] FCGI_ABORT_REQUEST while the body is read: the application is cancelled, hooks see ClientDisconnected")
    func abortRequest() async throws {
        let battery = try await Battery(["--workers", "2"])
        let aborted = try await battery.withConnection { client in
            client.send(
                FastCGIRecord.begin()
                    + FastCGIRecord.stream(
                        .params,
                        FastCGIRecord.pairs(
                            FastCGIRecord.params("POST", "/app/body-length", [("CONTENT_LENGTH", "100000")])
                        )) + FastCGIRecord.record(.standardInput, [UInt8](repeating: 1, count: 1000)))
            Thread.sleep(forTimeInterval: 0.3)
            client.send(FastCGIRecord.record(.abortRequest))
            return client.reply(timeout: .seconds(5))
        }
        // Ended as an abort (Spec ERR-2): the connection closed, no END_REQUEST.
        #expect(aborted.closed && !aborted.ended)
        var count = ""
        for _ in 0..<50 where count != "1\n" {
            count = try await battery.get("/app/disconnections").body
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(count == "1\n")
    }

    @Test("[LIFE-4] [FCGI-4] a front server that goes away mid-download: the hooks see ClientDisconnected, the worker is free")
    func serverGoesAway() async throws {
        let battery = try await Battery(["--workers", "1"])
        try await battery.withConnection { client in
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/download?bytes=100000000")))
            _ = client.reply(timeout: .seconds(5), stopAfterOutput: "Content-Length")
        }
        var count = ""
        for _ in 0..<50 where count != "1\n" {
            count = try await battery.get("/app/disconnections").body
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(count == "1\n")
    }
}
