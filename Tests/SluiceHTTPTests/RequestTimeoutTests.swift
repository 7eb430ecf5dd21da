// --request-timeout on the standalone server: an application that runs too long is cancelled,
// answered 503 with Connection: close (or cut off after its head), completed once and logged
// (Spec LIFE-6, HTTP-12) — in memory, state by state, and over a real socket.

import Foundation
import IntegrationSupport
import Sluice
import SluiceGateway
import SluiceHTTP
import Synchronization
import Testing

@Suite("The request timeout, in memory")
struct RequestTimeoutTests {
    /// What one connection's applications and its error log reported.
    final class Record: Sendable {
        private let completed = Mutex<[Completion]>([])
        private let lines = Mutex<[String]>([])

        var errorLog: ErrorLog { ErrorLog { [self] line in lines.withLock { $0.append(line) } } }
        var errorLines: [String] { lines.withLock { $0 } }

        func watch(_ request: Request) {
            request.onCompletion { [self] completion in completed.withLock { $0.append(completion) } }
        }

        /// The completions so far, once there are `count` or `limit` passed: the hooks run in
        /// a task of their own.
        func completions(reaching count: Int, within limit: Duration = .seconds(5)) async throws -> [Completion] {
            let deadline = ContinuousClock.now + limit
            while completed.withLock({ $0.count }) < count, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            return completed.withLock { $0 }
        }
    }

    static let timeouts = HTTPServerConfiguration.Timeouts(request: .seconds(1))

    /// `/wait` waits at the gate before its head, `/stream` after it, `/read` reads the body;
    /// anything else is answered at once.
    static func app(_ record: Record, gate: Gate, journal: Journal = Journal()) -> App {
        App { request in
            record.watch(request)
            journal.record(request.pathInfo)
            switch request.pathInfo {
            case "/wait":
                await gate.wait()
                return .text("waited\n")
            case "/stream":
                return Response(
                    headers: ["Content-Type": "text/plain"],
                    body: .stream { writer in
                        try await writer.write("first\n")
                        try await writer.flush()
                        await gate.wait()
                        try await writer.write("too late\n")
                    })
            case "/read":
                let body = try await request.body.collect(upTo: 1 << 20)
                return .text("read \(body.count)\n")
            default:
                return .text("\(request.method) \(request.pathInfo)\n")
            }
        }
    }

    @Test("[LIFE-6] [HTTP-12] waiting for the application: 503 with Connection: close at the limit, not before; logged; hooks once; pipelined requests not run")
    func waitingForApplication() async throws {
        let record = Record()
        let gate = Gate()
        let journal = Journal()
        let connection = try EmbeddedConnection(Self.app(record, gate: gate, journal: journal), timeouts: Self.timeouts, errorLog: record.errorLog)
        try connection.send("GET /wait HTTP/1.1\r\nHost: a\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n")
        connection.advanceTime(by: .milliseconds(999))
        #expect(connection.output() == "")
        connection.advanceTime(by: .milliseconds(1))
        #expect(connection.output() == serverResponse("503 Service Unavailable"))
        #expect(connection.isClosed)
        #expect(record.errorLines == ["sluice: GET /wait: no response within 1.0 seconds: answered 503; the application's task is cancelled"])
        // The task ends later: its response goes nowhere and completes nothing again.
        gate.open()
        connection.run()
        #expect(connection.output() == "")
        #expect(journal.entries == ["/wait"])
        // Exactly once: a second completion would arrive within the second waited for it.
        let completions = try await record.completions(reaching: 2, within: .seconds(1))
        #expect(completions.count == 1)
        #expect(completions.first?.status == .serviceUnavailable)
        #expect(completions.first?.applicationError is RequestTimedOut)
    }

    @Test("[LIFE-6] [HTTP-12] waiting for body bytes: the timeout counts the body too, and answers 503 before the body timeout")
    func readingBody() async throws {
        let record = Record()
        let connection = try EmbeddedConnection(Self.app(record, gate: Gate()), timeouts: Self.timeouts, errorLog: record.errorLog)
        try connection.send("POST /read HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc")
        connection.advanceTime(by: .seconds(1))
        #expect(connection.output() == serverResponse("503 Service Unavailable"))
        #expect(connection.isClosed)
        let completions = try await record.completions(reaching: 1)
        #expect(completions.first?.applicationError is RequestTimedOut)
    }

    @Test("[LIFE-6] [HTTP-12] [ERR-2] after the head: the response is cut off without its last chunk, the hooks see the sent status")
    func streamingResponse() async throws {
        let record = Record()
        let gate = Gate()
        let connection = try EmbeddedConnection(Self.app(record, gate: gate), timeouts: Self.timeouts, errorLog: record.errorLog)
        try connection.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(connection.output() == ConnectionHandlerTests.streamedHead + "6\r\nfirst\n\r\n")
        connection.advanceTime(by: .seconds(1))
        #expect(connection.output() == "")
        #expect(connection.isClosed)
        #expect(
            record.errorLines == ["sluice: GET /stream: no response within 1.0 seconds: response cut off after its head; the application's task is cancelled"])
        gate.open()
        connection.run()
        let completions = try await record.completions(reaching: 2, within: .seconds(1))
        #expect(completions.count == 1)
        #expect(completions.first?.status == .ok)
        #expect(completions.first?.error is RequestTimedOut)
    }

    @Test("[LIFE-6] [HTTP-12] idle, and after responses within the limit: nothing happens, the connection is kept")
    func idleAndWithin() throws {
        let record = Record()
        let connection = try EmbeddedConnection(Self.app(record, gate: Gate()), timeouts: Self.timeouts, errorLog: record.errorLog)
        connection.advanceTime(by: .seconds(2))
        try connection.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(connection.output() == textResponse("GET /a\n"))
        connection.advanceTime(by: .seconds(2))
        try connection.send("GET /b HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(connection.output() == textResponse("GET /b\n"))
        #expect(!connection.isClosed)
        #expect(record.errorLines.isEmpty)
    }

    @Test("[LIFE-6] [HTTP-12] an application that suspends and answers in time: the deadline ends with its response, also while the unread body still arrives")
    func afterResponse() throws {
        let record = Record()
        let gate = Gate()
        let connection = try EmbeddedConnection(Self.app(record, gate: gate), timeouts: Self.timeouts, errorLog: record.errorLog)
        try connection.send("POST /wait HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nabc")
        connection.advanceTime(by: .milliseconds(900))
        gate.open()
        connection.run()
        #expect(connection.output() == textResponse("waited\n"))
        connection.advanceTime(by: .seconds(2))
        try connection.send("defGET /b HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(connection.output() == textResponse("GET /b\n"))
        #expect(!connection.isClosed)
        #expect(record.errorLines.isEmpty)
    }
}

@Suite("The request timeout over a socket", .timeLimit(.minutes(1)))
struct RequestTimeoutSocketTests {
    /// HTTPBattery's count of requests whose completion saw RequestTimedOut, once it reaches
    /// `expected` or 5 s passed.
    static func timeouts(_ server: BatteryServer, reaching expected: Int) async throws -> Int {
        var count = 0
        for _ in 0..<50 {
            count = Int(try await Curl.fetch(server.url("/timeouts")).text.dropLast()) ?? -1
            if count >= expected { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return count
    }

    @Test("[LIFE-6] [HTTP-12] serve --request-timeout: a stuck application gets 503 and a close, one stuck after its head is cut off; the server goes on")
    func stuckApplications() async throws {
        let server = try await BatteryServer.start(["--request-timeout", "1"])
        let start = ContinuousClock.now
        let stuck = try await RawSocket.exchange("GET /stuck?ms=60000 HTTP/1.1\r\nHost: a\r\n\r\n", port: server.port, timeout: .seconds(20))
        let waited = ContinuousClock.now - start
        #expect(stuck.statusCodes == [503])
        #expect(stuck.text.contains("Connection: close\r\n"))
        #expect(stuck.text.hasSuffix("\r\n\r\n503 Service Unavailable\n"))
        #expect(stuck.serverClosed)
        // Not before the limit; well before the application's 60 s (a loaded machine gets room).
        #expect(waited >= .seconds(1) && waited < .seconds(20))

        let midway = try await RawSocket.exchange("GET /stuck-midway?ms=60000 HTTP/1.1\r\nHost: a\r\n\r\n", port: server.port, timeout: .seconds(20))
        #expect(midway.statusCodes == [200])
        #expect(midway.text.contains("started\n"))
        #expect(!midway.text.hasSuffix("0\r\n\r\n"), "no last chunk: the response must not look complete")
        #expect(midway.serverClosed)

        #expect(try await Curl.fetch(server.url("/after")).status == 200)
        #expect(try await Self.timeouts(server, reaching: 2) == 2)
        let log = String(decoding: try Data(contentsOf: server.process.standardErrorLog), as: UTF8.self)
        #expect(log.contains("GET /stuck?ms=60000: no response within 1.0 seconds: answered 503"))
        #expect(log.contains("GET /stuck-midway?ms=60000: no response within 1.0 seconds: response cut off after its head"))
    }
}
