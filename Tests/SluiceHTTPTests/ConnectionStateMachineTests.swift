// The connection's state machine driven directly, with no channel: each event and the action
// it returns (Spec HTTP-2, HTTP-3, BODY-5, BODY-6, LIFE-4, LIFE-5, SEC-3).

import NIOCore
import NIOHTTP1
import Sluice
import Testing

@testable import SluiceHTTP

/// A machine whose readers are names.
typealias Machine = ConnectionStateMachine<String>

extension ConnectionStateMachine.Action where Reader == String {
    /// The action in a few words, for comparing.
    var summary: String {
        switch self {
        case .none: "none"
        case let .startApplication(id, head, _): "start \(id) \(head.method.rawValue) \(head.uri)"
        case let .respondAndClose(response, abandoned): "respond \(response.status.code)" + (abandoned.map { " " + $0.summary } ?? "")
        case let .close(reason, abandoned): "close: \(reason)" + (abandoned.map { " " + $0.summary } ?? "")
        case let .resumeReader(reader, .bytes(bytes)): "\(reader) gets \(String(buffer: bytes))"
        case let .resumeReader(reader, .end): "\(reader) gets the end"
        case let .resumeReader(reader, .failure(error)): "\(reader) fails: \(error)"
        case let .awaitBody(version): version == nil ? "await body" : "send 100, await body"
        case .restartBodyTimer: "restart body timer"
        case let .followUp(followUp): followUp.summary
        case .awaitLastRequest: "await last request"
        case let .requestTimedOut(.answer(response), abandoned): "time out: respond \(response.status.code) " + abandoned.summary
        case let .requestTimedOut(.cutOff(status), abandoned): "time out: cut off \(status.code) " + abandoned.summary
        }
    }
}

extension ConnectionStateMachine.FollowUp where Reader == String {
    var summary: String {
        switch self {
        case .nothing: "nothing"
        case .becomeIdle: "idle"
        case .awaitLastRequest: "await last request"
        case let .discardBody(reader): "discard body" + (reader.map { ", \($0) fails" } ?? "")
        case let .closeAfterLingering(reader): "linger" + (reader.map { ", \($0) fails" } ?? "")
        }
    }
}

extension ConnectionStateMachine.Abandoned where Reader == String {
    var summary: String {
        "abandoning \(id)" + (reader.map { ", \($0) fails" } ?? "") + (cancelsApplication ? ", cancelled" : "")
    }
}

/// A request head: `GET /path` with `Host`, and any further fields.
func head(_ method: HTTPMethod = .GET, _ uri: String, version: HTTPVersion = .http1_1, _ fields: [(String, String)] = []) -> Machine.Inbound {
    .head(HTTPRequestHead(version: version, method: method, uri: uri, headers: HTTPHeaders([("Host", "a")] + fields)))
}

func body(_ text: String) -> Machine.Inbound { .body(ByteBuffer(string: text)) }

@Suite("The connection's state machine")
struct ConnectionStateMachineTests {
    /// Ends the response of exchange `id` as a small whole response would, returning what follows.
    static func answer(_ machine: inout Machine, _ id: Int, status: Response.Status = .ok) -> String {
        _ = machine.headSent(id: id, status: status, hasContentLength: true, bodyFollows: false)
        return machine.responseEnded(id: id)?.summary ?? "stale"
    }

    @Test("[HTTP-2] a request's end and its response's end, in either order, make the connection idle")
    func oneExchange() {
        var machine = Machine(limits: .init())
        #expect(machine.received(head(.GET, "/a")).summary == "start 1 GET /a")
        #expect(Self.answer(&machine, 1) == "nothing")
        #expect(machine.received(.end).summary == "idle")
        #expect(machine.received(head(.GET, "/b")).summary == "start 2 GET /b")
        #expect(machine.received(.end).summary == "none")
        #expect(!machine.allowsReading)
        #expect(Self.answer(&machine, 2) == "idle")
        #expect(machine.allowsReading)
    }

    @Test("[HTTP-2] requests pipelined behind one in flight wait their turn; reading stops meanwhile")
    func pipelinedWait() {
        var machine = Machine(limits: .init())
        _ = machine.received(head(.GET, "/a"))
        _ = machine.received(.end)
        #expect(machine.received(head(.GET, "/b")).summary == "none")
        #expect(machine.received(.end).summary == "none")
        #expect(machine.nextPipelined() == nil)
        #expect(!machine.allowsReading)
        #expect(Self.answer(&machine, 1) == "idle")
        #expect(machine.hasPipelinedRequests)
        #expect(machine.nextPipelined()?.summary == "start 2 GET /b")
        #expect(machine.nextPipelined()?.summary == "none")
        #expect(machine.nextPipelined() == nil)
        #expect(Self.answer(&machine, 2) == "idle")
        #expect(machine.allowsReading)
    }

    @Test("[HTTP-3] [SEC-4] a rejected or unparseable request behind one in flight is answered after it; nothing behind it is taken")
    func rejectionBehindInFlight() {
        for (second, status) in [(head(.GET, "/x", [("Host", "b")]), 400), (.malformed(.badRequest), 400), (head(.GET, "*"), 400)] as [(Machine.Inbound, Int)] {
            var machine = Machine(limits: .init())
            _ = machine.received(head(.GET, "/a"))
            _ = machine.received(.end)
            _ = machine.received(second)
            _ = machine.received(.end)
            _ = machine.received(head(.GET, "/smuggled"))
            #expect(Self.answer(&machine, 1) == "idle")
            #expect(machine.nextPipelined()?.summary == "respond \(status)")
            #expect(machine.nextPipelined() == nil)
            #expect(machine.received(head(.GET, "/later")).summary == "none")
            guard case .lingering = machine.state else {
                Issue.record("state \(machine.state)")
                continue
            }
        }
    }

    @Test("[HTTP-2] a request with Connection: close ends the connection after its response; what was pipelined is not taken")
    func closingRequest() {
        var machine = Machine(limits: .init())
        _ = machine.received(head(.GET, "/a", [("Connection", "close")]))
        _ = machine.received(.end)
        _ = machine.received(head(.GET, "/b"))
        let framing = machine.headSent(id: 1, status: .ok, hasContentLength: true, bodyFollows: false)
        #expect(framing?.0.connection == .close)
        #expect(machine.responseEnded(id: 1)?.summary == "linger")
        #expect(machine.nextPipelined() == nil)
    }

    @Test("[HTTP-3] a malformed body: 400 while no head went out, an abort while one streams, a close after the response")
    func malformedBody() {
        var before = Machine(limits: .init())
        _ = before.received(head(.POST, "/a", [("Transfer-Encoding", "chunked")]))
        #expect(before.bodyRequested(id: 1, by: "r").summary == "await body")
        #expect(before.received(.malformed(.badRequest)).summary == "respond 400 abandoning 1, r fails, cancelled")

        var during = Machine(limits: .init())
        _ = during.received(head(.POST, "/a", [("Transfer-Encoding", "chunked")]))
        _ = during.headSent(id: 1, status: .ok, hasContentLength: false, bodyFollows: true)
        #expect(during.received(.malformed(.badRequest)).summary == "close: the response failed after its head abandoning 1, cancelled")

        var after = Machine(limits: .init())
        _ = after.received(head(.POST, "/a", [("Transfer-Encoding", "chunked")]))
        #expect(Self.answer(&after, 1) == "discard body")
        #expect(after.received(body("abc")).summary == "restart body timer")
        #expect(after.received(.malformed(.badRequest)).summary == "linger")
    }

    @Test("[BODY-2] [BODY-4] body bytes go to a waiting reader or wait for one; the end reaches the reader")
    func bodyReads() {
        var machine = Machine(limits: .init())
        _ = machine.received(head(.POST, "/a", [("Content-Length", "6")]))
        #expect(machine.received(body("abc")).summary == "none")
        #expect(machine.bodyRequested(id: 1, by: "r1").summary == "r1 gets abc")
        #expect(machine.bodyRequested(id: 1, by: "r2").summary == "await body")
        #expect(machine.bodyRequested(id: 1, by: "r3").summary.hasPrefix("r3 fails"))
        #expect(machine.received(body("def")).summary == "r2 gets def")
        #expect(machine.bodyRequested(id: 1, by: "r4").summary == "await body")
        #expect(machine.received(.end).summary == "r4 gets the end")
        #expect(machine.bodyRequested(id: 2, by: "stale").summary == "stale fails: the client disconnected")
    }

    @Test("[SEC-3] a body over the limit fails the reader, and every read after, also once the message ended")
    func bodyOverLimit() {
        var machine = Machine(limits: .init(maxBodyBytes: 4))
        _ = machine.received(head(.POST, "/a", [("Transfer-Encoding", "chunked")]))
        #expect(machine.bodyRequested(id: 1, by: "r1").summary == "await body")
        #expect(machine.received(body("abc")).summary == "r1 gets abc")
        #expect(machine.bodyRequested(id: 1, by: "r2").summary == "await body")
        #expect(machine.received(body("def")).summary == "r2 fails: the request body is larger than the limit of 4 bytes")
        #expect(machine.received(.end).summary == "none")
        #expect(machine.bodyRequested(id: 1, by: "r3").summary == "r3 fails: the request body is larger than the limit of 4 bytes")
        _ = machine.headSent(id: 1, status: .contentTooLarge, hasContentLength: true, bodyFollows: false)
        #expect(machine.responseEnded(id: 1)?.summary == "linger")
    }

    @Test("[BODY-5] an unread body is dropped after the response up to the limit; past it the connection closes")
    func discard() {
        var machine = Machine(limits: .init(maxDiscardedBodyBytes: 5))
        _ = machine.received(head(.POST, "/a", [("Transfer-Encoding", "chunked")]))
        #expect(Self.answer(&machine, 1) == "discard body")
        #expect(machine.received(body("abc")).summary == "restart body timer")
        #expect(machine.received(.end).summary == "idle")

        var long = Machine(limits: .init(maxDiscardedBodyBytes: 5))
        _ = long.received(head(.POST, "/a", [("Transfer-Encoding", "chunked")]))
        _ = Self.answer(&long, 1)
        #expect(long.received(body("abcdef")).summary == "close: unread request body longer than the discard limit abandoning 1")

        var declared = Machine(limits: .init(maxDiscardedBodyBytes: 5))
        _ = declared.received(head(.POST, "/a", [("Content-Length", "6")]))
        #expect(Self.answer(&declared, 1) == "linger")
    }

    @Test("[BODY-6] 100 Continue: on the first read, or before a streamed head below 400; never for a refusal or a body in hand")
    func hundredContinue() {
        let expecting: [(String, String)] = [("Content-Length", "5"), ("Expect", "100-continue")]
        var read = Machine(limits: .init())
        _ = read.received(head(.PUT, "/a", expecting))
        #expect(read.bodyRequested(id: 1, by: "r").summary == "send 100, await body")

        var streamed = Machine(limits: .init())
        _ = streamed.received(head(.PUT, "/a", expecting))
        #expect(streamed.headSent(id: 1, status: .ok, hasContentLength: false, bodyFollows: true)?.0 == HeadFraming(sendsContinue: true, isChunked: true))
        #expect(streamed.bodyRequested(id: 1, by: "r").summary == "await body")

        var refused = Machine(limits: .init())
        _ = refused.received(head(.PUT, "/a", expecting))
        #expect(refused.headSent(id: 1, status: .forbidden, hasContentLength: false, bodyFollows: true)?.0 == HeadFraming(isChunked: true, connection: .close))
        #expect(refused.bodyRequested(id: 1, by: "r").summary == "r fails: the request body ended after 0 of 5 bytes")

        var inHand = Machine(limits: .init())
        _ = inHand.received(head(.PUT, "/a", expecting))
        inHand.wholeResponseDeclined(id: 1)
        #expect(inHand.headSent(id: 1, status: .ok, hasContentLength: true, bodyFollows: true)?.0 == HeadFraming(connection: .close))
        #expect(inHand.responseEnded(id: 1)?.summary == "linger")

        var head = Machine(limits: .init())
        _ = head.received(.head(HTTPRequestHead(version: .http1_1, method: .HEAD, uri: "/a", headers: HTTPHeaders([("Host", "a")] + expecting))))
        #expect(head.headSent(id: 1, status: .ok, hasContentLength: false, bodyFollows: true)?.0 == HeadFraming(connection: .close))
    }

    @Test("[LIFE-4] [ERR-1] [ERR-2] a failed application: a close when the client left or a head went out, else 500")
    func applicationFailures() {
        var gone = Machine(limits: .init())
        _ = gone.received(head(.GET, "/a"))
        #expect(gone.applicationFailed(id: 1, clientDisconnected: true).summary == "close: the client went away abandoning 1, cancelled")

        var aborted = Machine(limits: .init())
        _ = aborted.received(head(.GET, "/a"))
        _ = aborted.headSent(id: 1, status: .ok, hasContentLength: false, bodyFollows: true)
        #expect(aborted.applicationFailed(id: 1, clientDisconnected: false).summary == "close: the response failed after its head abandoning 1, cancelled")

        var early = Machine(limits: .init())
        _ = early.received(head(.GET, "/a"))
        #expect(early.applicationFailed(id: 1, clientDisconnected: false).summary == "respond 500 abandoning 1, cancelled")
        #expect(early.applicationFailed(id: 1, clientDisconnected: false).summary == "none")
    }

    @Test("[SEC-3] the body timeout: 408 while no head went out, a close after one or while discarding, nothing when no one waits")
    func bodyTimeouts() {
        var waiting = Machine(limits: .init())
        _ = waiting.received(head(.POST, "/a", [("Content-Length", "5")]))
        #expect(waiting.bodyTimedOut().summary == "none")
        _ = waiting.bodyRequested(id: 1, by: "r")
        #expect(waiting.bodyTimedOut().summary == "respond 408 abandoning 1, r fails, cancelled")

        var streaming = Machine(limits: .init())
        _ = streaming.received(head(.POST, "/a", [("Content-Length", "5")]))
        _ = streaming.headSent(id: 1, status: .ok, hasContentLength: false, bodyFollows: true)
        _ = streaming.bodyRequested(id: 1, by: "r")
        #expect(streaming.bodyTimedOut().summary == "close: no request body bytes within the body timeout abandoning 1, r fails, cancelled")

        var discarding = Machine(limits: .init())
        _ = discarding.received(head(.POST, "/a", [("Content-Length", "5")]))
        _ = Self.answer(&discarding, 1)
        #expect(discarding.bodyTimedOut().summary == "close: no request body bytes within the body timeout abandoning 1")
    }

    @Test("[LIFE-5] a stop: a new or recently active connection waits for its last request; an idle one closes; an exchange closes after its response")
    func stops() {
        var fresh = Machine(limits: .init())
        #expect(fresh.stop(requestMayBeArriving: false).summary == "await last request")
        #expect(fresh.lastRequestWindowEnded().summary == "close: graceful stop")

        var late = Machine(limits: .init())
        _ = late.stop(requestMayBeArriving: false)
        #expect(late.received(head(.GET, "/a")).summary == "start 1 GET /a")
        #expect(late.lastRequestWindowEnded().summary == "none")
        #expect(late.headSent(id: 1, status: .ok, hasContentLength: true, bodyFollows: false)?.0.connection == .close)

        var idle = Machine(limits: .init())
        _ = idle.received(head(.GET, "/a"))
        _ = idle.received(.end)
        _ = Self.answer(&idle, 1)
        #expect(idle.stop(requestMayBeArriving: false).summary == "close: graceful stop")

        var recent = Machine(limits: .init())
        _ = recent.received(head(.GET, "/a"))
        _ = recent.received(.end)
        _ = Self.answer(&recent, 1)
        #expect(recent.stop(requestMayBeArriving: true).summary == "await last request")

        var inFlight = Machine(limits: .init())
        _ = inFlight.received(head(.GET, "/a"))
        _ = inFlight.received(.end)
        _ = inFlight.received(head(.GET, "/b"))
        #expect(inFlight.stop(requestMayBeArriving: false).summary == "none")
        #expect(inFlight.headSent(id: 1, status: .ok, hasContentLength: true, bodyFollows: false)?.0.connection == .close)
        #expect(inFlight.responseEnded(id: 1)?.summary == "linger")
        #expect(inFlight.nextPipelined() == nil)

        var announced = Machine(limits: .init())
        _ = announced.received(head(.GET, "/a"))
        _ = announced.received(.end)
        _ = announced.headSent(id: 1, status: .ok, hasContentLength: false, bodyFollows: true)
        _ = announced.received(head(.GET, "/b"))
        _ = announced.received(.end)
        #expect(announced.stop(requestMayBeArriving: false).summary == "none")
        #expect(announced.responseEnded(id: 1)?.summary == "await last request")
        #expect(announced.lastRequestWindowEnded().summary == "none")
        #expect(announced.nextPipelined()?.summary == "start 2 GET /b")
        #expect(announced.headSent(id: 2, status: .ok, hasContentLength: true, bodyFollows: false)?.0.connection == .close)
    }

    @Test("[LIFE-4] the channel closing abandons the exchange: its reader fails and, while its response runs, its application is cancelled")
    func channelClosed() {
        var machine = Machine(limits: .init())
        _ = machine.received(head(.POST, "/a", [("Content-Length", "5")]))
        _ = machine.bodyRequested(id: 1, by: "r")
        #expect(machine.closed()?.summary == "abandoning 1, r fails, cancelled")
        #expect(machine.closed() == nil)
        #expect(machine.received(body("abc")).summary == "none")
        #expect(!machine.allowsReading)
    }
}
