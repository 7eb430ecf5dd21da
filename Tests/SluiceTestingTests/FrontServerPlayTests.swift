// The test client playing a front server that does not stream request bodies once the
// response is under way (Spec RESP-16).

import Sluice
import SluiceTesting
import Testing

@Suite("The test client as a front server")
struct FrontServerPlayTests {
    /// Echoes the request body as it reads it: full duplex.
    static let echo = App { request in
        Response(
            headers: ["Content-Type": "application/octet-stream"],
            body: .stream { writer in
                for try await chunk in request.body {
                    try await writer.write(chunk)
                    try await writer.flush()
                }
            })
    }

    /// Reads the whole body, then echoes it: what RESP-16 asks where bodies do not stream.
    static let collectingEcho = App { request in
        let bytes = try await request.body.collect(upTo: 1 << 20)
        return Response(
            headers: ["Content-Type": "application/octet-stream"],
            body: .stream { writer in
                try await writer.write(bytes)
                try await writer.flush()
            })
    }

    /// A body in three chunks, handed over as the application asks for them.
    static func upload() -> RequestBodyStream {
        let upload = RequestBodyStream()
        Task {
            for part in ["one ", "two ", "three"] { try await upload.write(part) }
            upload.finish()
        }
        return upload
    }

    @Test("[RESP-16] [REQ-14] by default the test server streams both ways: an echo works")
    func streamingServer() async throws {
        let client = TestClient(Self.echo)
        #expect(client.serverCapabilities.streamsRequestBody)
        let response = try await client.post("/echo").body(Self.upload()).send()
        #expect(response.text == "one two three")
    }

    @Test("[RESP-16] playing a server that does not stream request bodies, Lint names an echo that writes before it has read the body")
    func echoIsFlagged() async throws {
        let client = TestClient(Self.echo, streamsRequestBody: false)
        #expect(!client.serverCapabilities.streamsRequestBody)
        let failure = await #expect(throws: LintFailure.self) {
            try await client.post("/echo").body(Self.upload()).send()
        }
        #expect(failure?.violations.map(\.rule) == ["RESP-16"])
    }

    @Test("[RESP-16] without Lint, the body stops arriving once the response is under way, as behind nginx or Apache CGI")
    func echoIsCutOff() async throws {
        let client = TestClient(Self.echo, lint: false, streamsRequestBody: false)
        let response = try await client.post("/echo").body(Self.upload()).send()
        #expect(response.text == "one ")
        #expect(response.completion.clientDisconnected)
    }

    @Test("[RESP-16] reading the body before writing works on either kind of server", arguments: [true, false])
    func collectFirst(streams: Bool) async throws {
        let response = try await TestClient(Self.collectingEcho, streamsRequestBody: streams).post("/echo").body(Self.upload()).send()
        #expect(response.text == "one two three")
    }
}
