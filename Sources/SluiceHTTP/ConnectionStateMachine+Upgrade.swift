// How a connection leaves HTTP: the exchange whose application accepted a WebSocket hands the
// connection over (Spec WS-1, WS-13).

import NIOHTTP1

extension ConnectionStateMachine {
    /// Whether exchange `id` may switch the connection to another protocol.
    enum UpgradeDecision: Equatable {
        /// Send `101 Switching Protocols` in `version` and hand the connection over; the HTTP
        /// side is done with it (``State/upgraded``). `stopping`: a graceful stop began during
        /// the exchange, so the new protocol closes at once (Spec WS-12).
        case switchProtocols(version: HTTPVersion, stopping: Bool)
        /// The exchange is over or its head went out: nothing can be switched.
        case refuse
    }

    /// Exchange `id`'s application accepts an upgrade. Only a request that has ended, whose
    /// response has not begun, with nothing pipelined behind it, can switch: the bytes that
    /// follow it belong to the new protocol (the HTTP decoder stops at an upgrade request).
    mutating func upgradeAccepted(id: Int) -> UpgradeDecision {
        guard case let .exchanging(exchange, afterwards) = state, exchange.id == id, case .awaitingHead = exchange.response,
            exchange.request.hasEnded, !hasPipelinedRequests
        else {
            return .refuse
        }
        state = .upgraded
        return .switchProtocols(version: exchange.version, stopping: afterwards == .stop)
    }
}
