// The request timeout as an event of the connection's state machine, in every state a
// connection can be in when it fires (Spec LIFE-6, HTTP-12).

import NIOHTTP1
import Sluice
import Testing

@testable import SluiceHTTP

@Suite("The connection's state machine: the request timeout")
struct ConnectionStateMachineTimeoutTests {
    /// Whether `machine` lingers: it serves nothing more and closes after a moment.
    static func lingers(_ machine: Machine) -> Bool {
        if case .lingering = machine.state { true } else { false }
    }

    /// Whether `machine` is closed.
    static func isClosed(_ machine: Machine) -> Bool {
        if case .closed = machine.state { true } else { false }
    }

    @Test("[LIFE-6] [HTTP-12] idle, before any request or between two: a deadline has nothing to end")
    func idle() {
        var fresh = Machine(limits: .init())
        #expect(fresh.requestTimedOut(id: 1).summary == "none")
        #expect(fresh.received(head(.GET, "/a")).summary == "start 1 GET /a")

        var kept = Machine(limits: .init())
        _ = kept.received(head(.GET, "/a"))
        _ = kept.received(.end)
        #expect(ConnectionStateMachineTests.answer(&kept, 1) == "idle")
        #expect(kept.requestTimedOut(id: 1).summary == "none", "the exchange it was armed for is over")
        #expect(kept.received(head(.GET, "/b")).summary == "start 2 GET /b")
    }

    @Test("[LIFE-6] [HTTP-12] while the next head arrives behind a finished exchange: a stale deadline leaves it alone")
    func readingHead() {
        var machine = Machine(limits: .init())
        _ = machine.received(head(.GET, "/a"))
        _ = machine.received(.end)
        _ = ConnectionStateMachineTests.answer(&machine, 1)
        _ = machine.received(head(.POST, "/b", [("Content-Length", "3")]))
        #expect(machine.requestTimedOut(id: 1).summary == "none")
        #expect(machine.received(body("abc")).summary == "none")
        #expect(machine.received(.end).summary == "none")
        #expect(ConnectionStateMachineTests.answer(&machine, 2) == "idle")
    }

    @Test("[LIFE-6] [HTTP-12] while the application waits for body bytes: 503, its reader fails, its task is cancelled, the connection lingers")
    func readingBody() {
        var machine = Machine(limits: .init())
        _ = machine.received(head(.POST, "/a", [("Content-Length", "10")]))
        _ = machine.received(body("abc"))
        #expect(machine.bodyRequested(id: 1, by: "r1").summary == "r1 gets abc")
        #expect(machine.bodyRequested(id: 1, by: "r2").summary == "await body")
        #expect(machine.requestTimedOut(id: 1).summary == "time out: respond 503 abandoning 1, r2 fails, cancelled")
        #expect(Self.lingers(machine))
        #expect(machine.received(body("defghij")).summary == "none")
        #expect(machine.bodyRequested(id: 1, by: "late").summary == "late fails: the client disconnected")
    }

    @Test("[LIFE-6] [HTTP-12] while the application works on a complete request: 503 in its version, nothing pipelined runs")
    func waitingForApplication() {
        var machine = Machine(limits: .init())
        _ = machine.received(head(.HEAD, "/a", version: .http1_0))
        _ = machine.received(.end)
        _ = machine.received(head(.GET, "/pipelined"))
        let action = machine.requestTimedOut(id: 1)
        #expect(action.summary == "time out: respond 503 abandoning 1, cancelled")
        guard case let .requestTimedOut(.answer(response), _) = action else { return }
        #expect(response.version == .http1_0 && response.isHead)
        #expect(machine.nextPipelined() == nil)
        #expect(machine.headSent(id: 1, status: .ok, hasContentLength: true, bodyFollows: false) == nil, "the application's head comes too late")
        #expect(machine.applicationFailed(id: 1, clientDisconnected: true).summary == "none")
    }

    @Test("[LIFE-6] [HTTP-12] [ERR-2] while the response streams: cut off with the sent status, closed at once")
    func streamingResponse() {
        var machine = Machine(limits: .init())
        _ = machine.received(head(.GET, "/a"))
        _ = machine.received(.end)
        _ = machine.headSent(id: 1, status: .created, hasContentLength: false, bodyFollows: true)
        #expect(machine.requestTimedOut(id: 1).summary == "time out: cut off 201 abandoning 1, cancelled")
        #expect(Self.isClosed(machine))
        #expect(!machine.maySendBody(id: 1))
        #expect(machine.responseEnded(id: 1) == nil)
    }

    @Test("[LIFE-6] [HTTP-12] after the response, while an unread body is dropped or its end awaited: the timeout is over")
    func afterResponse() {
        var discarding = Machine(limits: .init())
        _ = discarding.received(head(.POST, "/a", [("Transfer-Encoding", "chunked")]))
        #expect(ConnectionStateMachineTests.answer(&discarding, 1) == "discard body")
        #expect(discarding.requestTimedOut(id: 1).summary == "none")
        #expect(discarding.received(.end).summary == "idle")

        var closing = Machine(limits: .init())
        _ = closing.received(head(.GET, "/a", [("Connection", "close")]))
        _ = closing.received(.end)
        #expect(ConnectionStateMachineTests.answer(&closing, 1) == "linger")
        #expect(closing.requestTimedOut(id: 1).summary == "none")
        #expect(Self.lingers(closing))
    }

    @Test("[LIFE-6] [HTTP-12] [LIFE-5] during a graceful stop, and once upgraded or closed")
    func stoppingUpgradedClosed() {
        var stopping = Machine(limits: .init())
        _ = stopping.received(head(.GET, "/a"))
        _ = stopping.received(.end)
        _ = stopping.stop(requestMayBeArriving: false)
        #expect(stopping.requestTimedOut(id: 1).summary == "time out: respond 503 abandoning 1, cancelled")

        var upgraded = Machine(limits: .init())
        _ = upgraded.received(head(.GET, "/ws", ConnectionStateMachineUpgradeTests.upgradeFields))
        _ = upgraded.received(.end)
        _ = upgraded.upgradeAccepted(id: 1)
        #expect(upgraded.requestTimedOut(id: 1).summary == "none", "the WebSocket's session is not the request's")

        var closed = Machine(limits: .init())
        _ = closed.received(head(.GET, "/a"))
        _ = closed.closed()
        #expect(closed.requestTimedOut(id: 1).summary == "none")
    }
}
