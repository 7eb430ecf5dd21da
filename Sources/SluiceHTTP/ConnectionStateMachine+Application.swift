// The application's side of the connection's state machine: body reads, response heads and
// ends, failures and timeouts, each for an exchange named by its id.

import NIOHTTP1
import Sluice

extension ConnectionStateMachine {
    /// Whether exchange `id` is in progress and has not sent its final head.
    func isAwaitingHead(id: Int) -> Bool {
        guard case let .exchanging(exchange, _) = state, exchange.id == id, case .awaitingHead = exchange.response else { return false }
        return true
    }

    /// Whether exchange `id` is in progress with its head sent and its body still open.
    func maySendBody(id: Int) -> Bool {
        guard case let .exchanging(exchange, _) = state, exchange.id == id else { return false }
        return exchange.response == .sendingBody
    }

    /// Whether exchange `id` is in progress with its response unfinished.
    func isResponding(id: Int) -> Bool {
        guard case let .exchanging(exchange, _) = state, exchange.id == id else { return false }
        return exchange.response != .ended
    }

    // MARK: The request body

    /// The application of exchange `id` asks for the next body chunk with `reader`.
    mutating func bodyRequested(id: Int, by reader: Reader) -> Action {
        guard case .exchanging(var exchange, let afterwards) = state, exchange.id == id else {
            return .resumeReader(reader, .failure(ClientDisconnected()))
        }
        state = .closed  // Set again below: leaves `exchange` the only reference to its buffers.
        let outcome = exchange.bodyRequested(by: reader)
        state = .exchanging(exchange, afterwards: afterwards)
        switch outcome {
        case let .chunk(bytes): return .resumeReader(reader, .bytes(bytes))
        case .end: return .resumeReader(reader, .end)
        case let .failure(error): return .resumeReader(reader, .failure(error))
        case let .wait(sendsContinue): return .awaitBody(sendingContinueIn: sendsContinue ? exchange.version : nil)
        }
    }

    /// No body bytes arrived for the body timeout while a reader waited or an unread body was
    /// being dropped (Spec SEC-3): 408 while a response is still possible, else a close.
    mutating func bodyTimedOut() -> Action {
        guard case let .exchanging(exchange, _) = state, exchange.waitingReader != nil || exchange.isDiscarding else { return .none }
        guard case .awaitingHead = exchange.response else { return close(.bodyTimedOut) }
        return respondAndClose(
            ServerResponse(
                status: .requestTimeout, version: exchange.version, isHead: exchange.isHead, reason: CloseReason.bodyTimedOut.description,
                request: nil
            ),
            abandoning: abandon(exchange)
        )
    }

    /// The request timeout of exchange `id` passed (Spec LIFE-6, HTTP-12). Before its final
    /// head the server answers 503 and closes after lingering; after it the response is cut
    /// off. Nothing happens once the exchange is over or its response has ended: the deadline
    /// covers the application's time to answer, not a client's slow body after the response.
    mutating func requestTimedOut(id: Int) -> Action {
        guard case let .exchanging(exchange, _) = state, exchange.id == id else { return .none }
        switch exchange.response {
        case .ended:
            return .none
        case .sendingBody:
            _ = enterClosed()
            return .requestTimedOut(.cutOff(sentStatus: exchange.sentStatus ?? .ok), abandoning: abandon(exchange))
        case .awaitingHead:
            let response = ServerResponse(
                status: .serviceUnavailable, version: exchange.version, isHead: exchange.isHead,
                reason: CloseReason.requestTimedOut.description, request: nil
            )
            enterLingering()
            return .requestTimedOut(.answer(response), abandoning: abandon(exchange))
        }
    }

    // MARK: The response

    /// How an informational response of exchange `id` is handled.
    enum InformationalResponse: Equatable {
        /// Sent, in `version`.
        case send(HTTPVersion)
        /// Dropped: the client speaks HTTP/1.0, which has none (Spec RESP-12).
        case drop
        /// Refused: the exchange is over or its final head went out.
        case refuse
    }

    func informational(id: Int) -> InformationalResponse {
        guard case let .exchanging(exchange, _) = state, exchange.id == id, case .awaitingHead = exchange.response else { return .refuse }
        return exchange.version.isHTTP11OrLater ? .send(exchange.version) : .drop
    }

    /// The final head of exchange `id` goes out: how it is framed, and in which version. `nil`
    /// when the exchange is over or its head went out already.
    mutating func headSent(id: Int, status: Response.Status, hasContentLength: Bool, bodyFollows: Bool) -> (HeadFraming, HTTPVersion)? {
        guard case .exchanging(var exchange, let afterwards) = state, exchange.id == id, case .awaitingHead = exchange.response else {
            return nil
        }
        let framing = exchange.headSent(status: status, hasContentLength: hasContentLength, bodyFollows: bodyFollows)
        state = .exchanging(exchange, afterwards: afterwards)
        return (framing, exchange.version)
    }

    /// The server declined to send exchange `id`'s response whole; its head follows alone.
    mutating func wholeResponseDeclined(id: Int) {
        guard case .exchanging(var exchange, let afterwards) = state, exchange.id == id else { return }
        exchange.wholeResponseDeclined()
        state = .exchanging(exchange, afterwards: afterwards)
    }

    /// The end of exchange `id`'s response goes out: what the connection does next. `nil` when
    /// the exchange is over or has no open body.
    mutating func responseEnded(id: Int) -> FollowUp? {
        guard case .exchanging(var exchange, let afterwards) = state, exchange.id == id, exchange.response == .sendingBody else {
            return nil
        }
        switch exchange.responseEnded(limits: limits) {
        case .finished:
            return exchangeFinished(afterwards)
        case .awaitingRequestEnd:
            state = .exchanging(exchange, afterwards: afterwards)
            return .nothing
        case let .discarding(reader):
            state = .exchanging(exchange, afterwards: afterwards)
            return .discardBody(failing: reader)
        case let .closing(reader):
            return lingerAfterResponse(failing: reader)
        }
    }

    /// The application's handling of exchange `id` failed (its ``Completion`` has an error).
    mutating func applicationFailed(id: Int, clientDisconnected: Bool) -> Action {
        guard case let .exchanging(exchange, _) = state, exchange.id == id else { return .none }
        switch exchange.response {
        case .ended:
            return .none
        case _ where clientDisconnected:
            return close(.clientWentAway)
        case .sendingBody:
            return close(.responseAborted)
        case .awaitingHead:
            // The client is still there and nothing went out: it gets a 500 rather than nothing.
            return respondAndClose(
                ServerResponse(
                    status: .internalServerError, version: exchange.version, isHead: exchange.isHead,
                    reason: "the application failed before its response", request: nil
                ),
                abandoning: abandon(exchange)
            )
        }
    }
}
