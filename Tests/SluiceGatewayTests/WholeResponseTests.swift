// A body in hand goes to an adapter in one call (ResponseWriter.writeWholeResponse), with the
// same head and the same outcome as when it is written piece by piece.

import GatewayTestSupport
import Sluice
import SluiceGateway
import Testing

@Suite("Whole responses")
struct WholeResponseTests {
    static func run(
        _ app: some Application,
        method: Request.Method = .get,
        writer: RecordingWriter = RecordingWriter(writesWholeResponses: true)
    ) async -> (RecordingWriter, Completion) {
        let request = Request(method: method, target: "/x", pathInfo: "/x", errorLog: .discarding)
        let completion = await Gateway.respond(to: request, with: app, through: writer)
        return (writer, completion)
    }

    @Test("[RESP-5] a body in hand goes out in one call, its Content-Length in the head")
    func bytesInOneCall() async {
        let (writer, completion) = await Self.run(App { _ in .text("hi") })
        #expect(writer.events == [.whole(200, Array("hi".utf8))])
        #expect(writer.headers?["Content-Length"] == "2")
        #expect(completion.succeeded)
        #expect(completion.bodyBytesSent == 2)
    }

    @Test("[RESP-6] [RESP-7] HEAD and 204 go out whole with no body")
    func noBody() async {
        let (head, headCompletion) = await Self.run(App { _ in .text("hi") }, method: .head)
        #expect(head.events == [.whole(200, [])])
        #expect(head.headers?["Content-Length"] == "2")
        #expect(headCompletion.bodyBytesSent == 0)
        let (empty, _) = await Self.run(App { _ in Response(status: .noContent, body: "ignored") })
        #expect(empty.events == [.whole(204, [])])
    }

    @Test("[RESP-4] a body that contradicts its declared length is written piece by piece and fails")
    func declaredLengthMismatch() async {
        let (writer, completion) = await Self.run(App { _ in Response(headers: ["Content-Length": "5"], body: "hi") })
        #expect(writer.events == [.head(200), .body(Array("hi".utf8))])
        #expect(completion.error as? ResponseBodyError == .shorterThanDeclared(declared: 5, written: 2))
    }

    @Test("[LIFE-4] a whole response the client did not take completes with no status")
    func clientGone() async {
        let writer = RecordingWriter(failing: ClientDisconnected(), writesWholeResponses: true)
        let (_, completion) = await Self.run(App { _ in .text("hi") }, writer: writer)
        #expect(completion.clientDisconnected)
        #expect(completion.status == nil)
        #expect(completion.bodyBytesSent == 0)
    }

    @Test("[RESP-1] a streaming body is never sent whole")
    func streamsPieceByPiece() async {
        let (writer, _) = await Self.run(App { _ in Response(body: .stream(length: 2) { try await $0.write("hi") }) })
        #expect(writer.events == [.head(200), .body(Array("hi".utf8)), .finish(nil)])
    }
}
