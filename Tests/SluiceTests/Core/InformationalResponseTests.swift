// The driver's check of informational responses, the same under every adapter (Spec RESP-12).

import GatewayTestSupport
import Sluice
import SluiceGateway
import Synchronization
import Testing

@Suite("Informational responses")
struct InformationalResponseTests {
    /// Sends one informational response from the application, catching what it throws, then
    /// answers 200; the writer's events and what `sendInformational` threw.
    static func send(_ status: Response.Status, _ headers: Headers = [:], writer: RecordingWriter = RecordingWriter()) async -> (
        [RecordingWriter.Event], (any Error)?
    ) {
        let thrown = Mutex<(any Error)?>(nil)
        let app = App { request in
            do {
                try await request.context.sendInformational(status: status, headers: headers)
            } catch {
                thrown.withLock { $0 = error }
            }
            return .text("ok")
        }
        _ = await Gateway.respond(to: Request(method: .get, target: "/", pathInfo: "/"), with: app, through: writer)
        return (writer.events, thrown.withLock { $0 })
    }

    @Test(
        "[RESP-12] a status outside 102...199 is refused and nothing is sent: 100 is the server's, 101 switches protocols",
        arguments: [
            100, 101, 200, 204, 99, 600, 0,
        ])
    func refusedStatus(code: Int) async {
        let (events, thrown) = await Self.send(Response.Status(code: code))
        #expect(thrown is InvalidResponseHead)
        #expect(!events.contains(.informational(code)))
        #expect(events.first == .whole(200, Array("ok".utf8)) || events.first == .head(200))
    }

    @Test(
        "[RESP-12] [SEC-2] [RESP-7] fields that may not be sent are refused: CR LF, a bad name, Status, Content-Length",
        arguments: [
            ["X-Split": "a\r\nInjected: 1"], ["Bad Name": "x"], ["Status": "200"], ["Content-Length": "0"],
        ] as [Headers])
    func refusedFields(headers: Headers) async {
        let (events, thrown) = await Self.send(.earlyHints, headers)
        #expect(thrown is InvalidResponseHead)
        #expect(!events.contains(.informational(103)))
    }

    @Test("[RESP-12] 102 and 103 to 199 go out where the server sends them, and are checked where it drops them", arguments: [102, 103, 150, 199])
    func accepted(code: Int) async {
        let (events, thrown) = await Self.send(Response.Status(code: code), ["Link": "</a.css>; rel=preload"])
        #expect(thrown == nil)
        #expect(events.first == .informational(code))
    }

    @Test("[RESP-12] an adapter that drops informational responses still refuses an invalid one")
    func checkedWhereDropped() async {
        let dropping = DroppingWriter()
        let thrown = Mutex<(any Error)?>(nil)
        let app = App { request in
            do {
                try await request.context.sendInformational(status: .ok, headers: [:])
            } catch {
                thrown.withLock { $0 = error }
            }
            try await request.context.sendInformational(status: .earlyHints, headers: [:])
            return .text("ok")
        }
        let completion = await Gateway.respond(to: Request(method: .get, target: "/", pathInfo: "/"), with: app, through: dropping)
        #expect(thrown.withLock { $0 } is InvalidResponseHead)
        #expect(completion.status == .ok)
    }
}

/// A writer that, like the CGI and FastCGI adapters, has no way to send informational
/// responses: it relies on the protocol's default, which drops them.
private struct DroppingWriter: ResponseWriter {
    func writeHead(status: Response.Status, headers: Headers) async throws {}
    func write(_ bytes: [UInt8]) async throws {}
    func flush() async throws {}
    func finish(trailers: Headers?) async throws {}
}
