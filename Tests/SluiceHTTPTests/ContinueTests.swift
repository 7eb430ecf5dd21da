// Expect: 100-continue with responses that start before the body is read (Spec BODY-6).

import Foundation
import IntegrationSupport
import Sluice
import Testing

@Suite("100-continue")
struct ContinueTests {
    /// Streams the body back as it arrives, with the status the path names (`/403` …).
    static let echo = App { request in
        let status = Int(request.pathInfo.dropFirst()).map { Response.Status(code: $0) } ?? .ok
        let body = request.body
        return Response(
            status: status, headers: ["Content-Type": "application/octet-stream"],
            body: .stream { writer in
                guard status.code < 400 else { return try await writer.write("refused\n") }
                for try await chunk in body {
                    try await writer.write(chunk)
                    try await writer.flush()
                }
            })
    }

    @Test("[BODY-6] a response that streams while it reads the body: 100 Continue goes out before its head, then the body echoes")
    func continueBeforeStreamingHead() async throws {
        try await InProcessServer.serving(Self.echo) { server in
            let client = try StalledClient(
                port: server.port, request: "PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
            )
            defer { client.close() }
            let interim = String(decoding: try await onOwnThread { client.read(until: "\r\n\r\n", timeout: .seconds(5)) }, as: UTF8.self)
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue\r\n"), "first bytes: \(interim.debugDescription)")
            client.send("hello")
            let rest = String(decoding: try await onOwnThread { client.read(until: "0\r\n\r\n", timeout: .seconds(5)) }, as: UTF8.self)
            let whole = interim + rest
            #expect(whole.contains("HTTP/1.1 200 OK\r\n"), "reply: \(whole.debugDescription)")
            #expect(whole.hasSuffix("5\r\nhello\r\n0\r\n\r\n"), "reply: \(whole.debugDescription)")
            #expect(!whole.contains("Connection: close"))
        }
    }

    @Test("[BODY-6] a refusal (4xx) whose body streams gets no 100 and closes the connection")
    func noContinueForRefusal() async throws {
        try await InProcessServer.serving(Self.echo) { server in
            let reply = try await RawSocket.exchange(
                "PUT /403 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", port: server.port
            )
            #expect(reply.statusCodes == [403], "reply: \(reply.text)")
            #expect(reply.text.contains("Connection: close"))
            #expect(reply.serverClosed)
        }
    }

    @Test("[BODY-6] curl -T with the probe's echo (Spec/probe.md): the upload comes back whole", .requires(.curl))
    func curlUploadEcho() async throws {
        let server = try await BatteryServer.start(program: "probe")
        let file = server.directory.appending("upload")
        let upload = PatternBytes.data(count: 3 << 20)
        try upload.write(to: file)
        // curl waits up to 10 s for the 100 (1 s by default, after which it would send anyway).
        let response = try await Curl.fetch(
            CurlRequest(
                server.url("/"), headers: [.init(name: "X-Probe-Echo", value: "1")],
                extraArguments: ["-T", file.path, "--expect100-timeout", "10"]
            ))
        #expect(response.status == 200)
        #expect(response.interimStatusLines.map { $0.hasPrefix("HTTP/1.1 100") } == [true])
        #expect(response.body == upload)
    }
}
