import Logging
import Sluice
import SluiceTesting
import Testing

@testable import SluiceMiddleware

@Suite("Access log")
struct AccessLogTests {
    static let hello = App { request in .text("Hello from \(request.path)\n") }

    /// One request through the access log in `format`; its line.
    static func line(
        _ format: AccessLogFormat,
        app: some Application = hello,
        _ request: (TestClient) -> TestRequest = { $0.get("/a?b=c").header("User-Agent", "curl/8.0").header("Referer", "http://x/") }
    ) async throws -> (String, LogRecording.Event) {
        let recording = LogRecording()
        let client = TestClient(app.wrapped(by: .requestID(), .accessLog(recording.logger(), format: format)))
        _ = try await request(client).send()
        let events = recording.events
        #expect(events.count == 1)
        let event = try #require(events.first)
        return (event.message, event)
    }

    /// The Common Log Format's `[dd/Mon/yyyy:hh:mm:ss +0000]`.
    static var commonTime: Regex<Substring> { #/\[\d\d/[A-Z][a-z][a-z]/\d{4}:\d\d:\d\d:\d\d \+0000\]/# }

    @Test("[LIFE-3] a Common line has the client, the time, the request line, the status and the bytes")
    func commonLine() async throws {
        let (line, event) = try await Self.line(.common)
        let pattern = #/127\.0\.0\.1 - - (\[[^\]]+\]) "GET /a\?b=c HTTP/1\.1" 200 14/#
        let match = try #require(line.wholeMatch(of: pattern))
        #expect(match.1.wholeMatch(of: Self.commonTime) != nil)
        #expect(event.level == .info)
        #expect(event.metadata["request_id"] != nil)
        #expect(event.metadata["duration"] != nil)
    }

    @Test("a Combined line adds the referer and the user agent")
    func combinedLine() async throws {
        let (line, _) = try await Self.line(.combined)
        #expect(line.hasSuffix(#""GET /a?b=c HTTP/1.1" 200 14 "http://x/" "curl/8.0""#))
        let (bare, _) = try await Self.line(.combined) { $0.get("/") }
        #expect(bare.hasSuffix(#" 200 13 "-" "-""#))
    }

    @Test("a JSON line holds every field, the request id and the duration among them")
    func jsonLine() async throws {
        let (line, event) = try await Self.line(.json)
        let id = try #require(event.metadata["request_id"]).description
        #expect(line.hasPrefix(#"{"time":""#))
        #expect(line.contains(#""remote_addr":"127.0.0.1","method":"GET","target":"/a?b=c","protocol":"HTTP/1.1","status":200,"bytes_sent":14,"duration":"#))
        #expect(line.contains(#""referer":"http://x/","user_agent":"curl/8.0","request_id":"\#(id)","error":null}"#))
        #expect(line.contains(#/"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"/#))
    }

    @Test("[LIFE-3] the line is written when a streamed body ends, with the bytes and the time it took")
    func streamedBody() async throws {
        let app = App { _ in
            Response(
                body: .stream { writer in
                    try await writer.write("one")
                    try await Task.sleep(for: .milliseconds(60))
                    try await writer.write("two")
                })
        }
        let (line, event) = try await Self.line(.json, app: app) { $0.get("/s") }
        #expect(line.contains(#""status":200,"bytes_sent":6,"#))
        let text = try #require(event.metadata["duration"]).description
        let duration = try #require(Double(text))
        #expect(duration >= 0.06)
    }

    @Test("[LIFE-4] a request whose client went away is logged 499 in Common, with the error in JSON")
    func clientWentAway() {
        let entry = AccessLogEntry(
            remoteAddress: "::1", startTime: WallClockTime(seconds: 0, microseconds: 5), method: "GET", target: "/",
            serverProtocol: "HTTP/1.1", status: nil, bodyBytesSent: 0, duration: .milliseconds(1500),
            referer: nil, userAgent: nil, requestID: nil, failure: AccessLogEntry.clientDisconnected
        )
        #expect(entry.commonLine == #"::1 - - [01/Jan/1970:00:00:00 +0000] "GET / HTTP/1.1" 499 -"#)
        #expect(entry.jsonLine.contains(#""time":"1970-01-01T00:00:00.000005Z""#))
        #expect(entry.jsonLine.contains(#""status":null,"bytes_sent":0,"duration":1.500000,"#))
        #expect(entry.jsonLine.hasSuffix(#""request_id":null,"error":"client disconnected"}"#))
    }

    @Test("hostile targets and agents stay on one line of ASCII in every format")
    func hostileFields() {
        let entry = AccessLogEntry(
            remoteAddress: "10.0.0.1", startTime: WallClockTime(seconds: 86400, microseconds: 0), method: "GET",
            target: "/\"x\\\n\u{7F}é", serverProtocol: "HTTP/1.1", status: 404, bodyBytesSent: 3, duration: .zero,
            referer: "\r\n", userAgent: "a\"b", requestID: "id", failure: nil
        )
        #expect(entry.combinedLine == #"10.0.0.1 - - [02/Jan/1970:00:00:00 +0000] "GET /\"x\\\x0a\x7f\xc3\xa9 HTTP/1.1" 404 3 "\x0d\x0a" "a\"b""#)
        #expect(entry.jsonLine.contains(#""target":"/\"x\\\n\u007fé""#))
        for line in [entry.commonLine, entry.combinedLine, entry.jsonLine] {
            #expect(!line.contains("\n") && !line.contains("\r"))
        }
    }

    @Test("nothing is formatted when the logger's level drops the line")
    func levelRespected() async throws {
        let recording = LogRecording()
        let client = TestClient(Self.hello.wrapped(by: .accessLog(recording.logger(level: .warning))))
        _ = try await client.get("/").send()
        #expect(recording.events.isEmpty)
    }
}
