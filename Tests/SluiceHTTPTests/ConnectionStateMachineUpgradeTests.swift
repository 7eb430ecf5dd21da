// How the connection's state machine lets a connection leave HTTP, and what an upgrade request
// does to its connection when it is not taken (Spec WS-1, WS-12, WS-13).

import NIOHTTP1
import Sluice
import Testing

@testable import SluiceHTTP

@Suite("The connection's state machine: upgrades")
struct ConnectionStateMachineUpgradeTests {
    static let upgradeFields = [("Upgrade", "websocket"), ("Connection", "Upgrade")]

    @Test("[WS-1] an exchange whose request ended and whose head is still due switches protocols; the machine is done with the connection")
    func switches() {
        var machine = Machine(limits: .init())
        _ = machine.received(head(.GET, "/ws", Self.upgradeFields))
        _ = machine.received(.end)
        #expect(machine.upgradeAccepted(id: 1) == .switchProtocols(version: .http1_1, stopping: false))
        guard case .upgraded = machine.state else {
            Issue.record("not upgraded: \(machine.state)")
            return
        }
        #expect(!machine.allowsReading)
        #expect(machine.received(head(.GET, "/next")).summary == "none")
        #expect(machine.stop(requestMayBeArriving: true).summary == "none")
        #expect(machine.closed() == nil, "the application's task belongs to the WebSocket now")
    }

    @Test("[WS-1] no switch for a stale exchange, one whose head went out, or one whose request has not ended")
    func refuses() {
        var machine = Machine(limits: .init())
        _ = machine.received(head(.GET, "/ws", Self.upgradeFields))
        #expect(machine.upgradeAccepted(id: 1) == .refuse, "the request's end is still due")
        _ = machine.received(.end)
        #expect(machine.upgradeAccepted(id: 2) == .refuse)
        _ = machine.headSent(id: 1, status: .ok, hasContentLength: true, bodyFollows: false)
        #expect(machine.upgradeAccepted(id: 1) == .refuse)
    }

    @Test("[WS-12] an exchange that switches while the server stops says so")
    func switchesWhileStopping() {
        var machine = Machine(limits: .init())
        _ = machine.received(head(.GET, "/ws", Self.upgradeFields))
        _ = machine.received(.end)
        _ = machine.stop(requestMayBeArriving: false)
        #expect(machine.upgradeAccepted(id: 1) == .switchProtocols(version: .http1_1, stopping: true))
    }

    @Test("[WS-13] a request that asks to upgrade, answered without a switch, gets Connection: close and closes the connection")
    func upgradeNotTaken() {
        var machine = Machine(limits: .init())
        _ = machine.received(head(.GET, "/ws", [("Upgrade", "h2c"), ("Connection", "keep-alive, upgrade")]))
        _ = machine.received(.end)
        let framing = machine.headSent(id: 1, status: .ok, hasContentLength: true, bodyFollows: false)
        #expect(framing?.0.connection == .close)
        #expect(machine.responseEnded(id: 1)?.summary == "linger")
    }

    @Test("[WS-13] Upgrade without Connection: upgrade is no upgrade request; the connection is kept")
    func upgradeFieldAlone() {
        var machine = Machine(limits: .init())
        _ = machine.received(head(.GET, "/a", [("Upgrade", "websocket")]))
        _ = machine.received(.end)
        let framing = machine.headSent(id: 1, status: .ok, hasContentLength: true, bodyFollows: false)
        #expect(framing?.0.connection == nil)
        #expect(machine.responseEnded(id: 1)?.summary == "idle")
    }
}
