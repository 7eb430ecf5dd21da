// The state machine of one HTTP/1 connection: the request in progress, the requests pipelined
// behind it, and how the connection ends.

import NIOCore
import NIOHTTP1
import Sluice

/// One connection's state, as a value whose transitions return ``Action``s for the channel
/// handler to perform; it is touched only on the connection's event loop.
///
/// It takes over what NIO's `HTTPServerPipelineHandler` did for the server, pipelining and
/// quiescing, because the order of responses, errors and closes depends on the exchange's own
/// state: which request a parse error belongs to, whether a response already went out, whether
/// its head could still say `Connection: close`. Two machines that must agree would be the
/// defect this one replaces (issue 13, items 1–5).
///
/// An upgrade ends the HTTP side of a connection: ``upgradeAccepted(id:)`` takes the exchange
/// whose application accepted a WebSocket to ``State/upgraded``, and the handler hands the
/// connection over to the WebSocket's own handler (``WebSocketPipeline``).
struct ConnectionStateMachine<Reader> {
    typealias Exchange = ExchangeStateMachine<Reader>

    enum State {
        /// No exchange is in progress; the next request head is awaited.
        case awaitingRequest(Wait)
        /// `exchange` is in progress; `afterwards` says what follows it.
        case exchanging(Exchange, afterwards: Afterwards)
        /// The server finished its side and closes once the client does, or after a moment:
        /// what the client still sends is read and dropped.
        case lingering
        /// The connection switched to another protocol (a WebSocket, Spec WS-1): nothing more
        /// on it is HTTP, and its handler leaves the pipeline.
        case upgraded
        /// The connection is closed.
        case closed
    }

    /// What a connection without an exchange waits for.
    enum Wait: Equatable {
        /// No request has arrived on the connection yet.
        case firstRequest
        /// The last exchange is complete and the connection is kept for the next request.
        case nextRequest
        /// A graceful stop began while a request may have been on its way: the connection
        /// waits a moment for it, answers it with `Connection: close` and closes (Spec LIFE-5).
        case lastRequest
    }

    /// What follows the exchange in progress.
    enum Afterwards: Equatable {
        /// The next request, if the exchange keeps the connection.
        case serveNext
        /// A graceful stop began during the exchange: after it, at most a request that was
        /// already on its way, answered with `Connection: close`.
        case stop
    }

    /// A request part as the HTTP decoder delivers it.
    enum Inbound {
        case head(HTTPRequestHead)
        case body(ByteBuffer)
        case end
        /// Bytes the decoder could not parse, to be answered with `status` (Spec ERR-3).
        case malformed(HTTPResponseStatus)
    }

    let limits: HTTPServerConfiguration.Limits
    /// Changed only by the transitions here and in ``ConnectionStateMachine+Application.swift`` and
    /// ``ConnectionStateMachine+Upgrade.swift``.
    var state = State.awaitingRequest(.firstRequest)
    /// Request parts that arrived behind the exchange in progress, in order: the next requests
    /// of a pipelining client, held until their turn. Empty except while an exchange runs or
    /// until the ones it held are taken.
    private var pipelined = CircularBuffer<Inbound>(initialCapacity: 0)
    private var lastID = 0

    init(limits: HTTPServerConfiguration.Limits) {
        self.limits = limits
    }

    /// Whether request parts received earlier wait to be taken with ``nextPipelined()``.
    var hasPipelinedRequests: Bool { !pipelined.isEmpty }

    /// Whether the handler may read from the socket: not while request parts wait their turn
    /// or the application has enough body buffered (Spec BODY-2), and not while a complete
    /// request waits for its response (a pipelining client is read one request at a time).
    var allowsReading: Bool {
        switch state {
        case .awaitingRequest, .lingering:
            pipelined.isEmpty
        case let .exchanging(exchange, _):
            pipelined.isEmpty && !exchange.request.hasEnded && exchange.canBufferMoreBody
        case .upgraded, .closed:
            false
        }
    }

    // MARK: Request parts from the decoder

    /// A request part arrived.
    mutating func received(_ part: Inbound) -> Action {
        switch state {
        case .lingering, .upgraded, .closed:
            return .none
        case let .exchanging(exchange, _) where exchange.request.hasEnded || !pipelined.isEmpty:
            // The next request's: it waits until this exchange is over.
            pipelined.append(part)
            return .none
        case .awaitingRequest where !pipelined.isEmpty:
            pipelined.append(part)
            return .none
        case .awaitingRequest, .exchanging:
            return take(part)
        }
    }

    /// The next request part received earlier whose turn has come, taken; `nil` when none is
    /// waiting or the exchange in progress must end first.
    mutating func nextPipelined() -> Action? {
        guard let part = pipelined.first else { return nil }
        switch state {
        case .awaitingRequest:
            break
        case let .exchanging(exchange, _) where !exchange.request.hasEnded:
            break
        case .exchanging, .lingering, .upgraded, .closed:
            return nil
        }
        pipelined.removeFirst()
        return take(part)
    }

    private mutating func take(_ part: Inbound) -> Action {
        switch part {
        case let .head(head): headReceived(head)
        case let .body(bytes): bodyReceived(bytes)
        case .end: endReceived()
        case let .malformed(status): malformedReceived(status)
        }
    }

    private mutating func headReceived(_ head: HTTPRequestHead) -> Action {
        guard case let .awaitingRequest(wait) = state else { return .none }
        lastID += 1
        switch check(head, limits: limits) {
        case let .failure(rejection):
            let version = head.version.major == 1 && head.version.minor <= 1 ? head.version : .http1_1
            return respondAndClose(
                ServerResponse(
                    status: rejection.status, version: version, isHead: head.method == .HEAD, reason: rejection.reason,
                    request: "\(head.method.rawValue) \(head.uri)"
                ),
                abandoning: nil
            )
        case let .success(accepted):
            let stopping = wait == .lastRequest
            let exchange = Exchange(id: lastID, head: head, accepted: accepted, persistence: head.isKeepAlive && !stopping ? .keepAlive : .close)
            state = .exchanging(exchange, afterwards: stopping ? .stop : .serveNext)
            return .startApplication(id: lastID, head: head, accepted: accepted)
        }
    }

    private mutating func bodyReceived(_ bytes: ByteBuffer) -> Action {
        guard case .exchanging(var exchange, let afterwards) = state else { return .none }
        state = .closed  // Set again below: leaves `exchange` the only reference to its buffers.
        let outcome = exchange.bodyReceived(bytes, limits: limits)
        state = .exchanging(exchange, afterwards: afterwards)
        switch outcome {
        case let .deliver(reader):
            return .resumeReader(reader, .bytes(bytes))
        case .buffered, .dropped, .overLimit(failing: nil):
            return .none
        case let .overLimit(failing: reader?):
            return .resumeReader(reader, .failure(RequestBodyError.tooLarge(limit: limits.maxBodyBytes)))
        case .discarded:
            return .restartBodyTimer
        case .discardLimitPassed:
            return close(.unreadBodyTooLong)
        }
    }

    private mutating func endReceived() -> Action {
        guard case .exchanging(var exchange, let afterwards) = state else { return .none }
        let reader = exchange.endReceived()
        guard exchange.isFinished else {
            state = .exchanging(exchange, afterwards: afterwards)
            return reader.map { .resumeReader($0, .end) } ?? .none
        }
        return .followUp(exchangeFinished(afterwards))
    }

    private mutating func malformedReceived(_ status: HTTPResponseStatus) -> Action {
        switch state {
        case .awaitingRequest:
            return respondAndClose(
                ServerResponse(status: status, version: .http1_1, isHead: false, reason: "malformed request", request: nil),
                abandoning: nil
            )
        case let .exchanging(exchange, _):
            // Bytes of this exchange's own request: its body is malformed (Spec HTTP-3).
            switch exchange.response {
            case .awaitingHead:
                return respondAndClose(
                    ServerResponse(status: status, version: exchange.version, isHead: exchange.isHead, reason: "malformed request body", request: nil),
                    abandoning: abandon(exchange)
                )
            case .sendingBody:
                return close(.responseAborted)
            case .ended:
                // The response is complete: a second one would answer a request twice.
                return .followUp(lingerAfterResponse(failing: nil))
            }
        case .lingering, .upgraded, .closed:
            return .none
        }
    }

    // MARK: Ending exchanges and connections

    /// The exchange in progress is complete on both sides.
    mutating func exchangeFinished(_ afterwards: Afterwards) -> FollowUp {
        switch afterwards {
        case .serveNext:
            state = .awaitingRequest(.nextRequest)
            return .becomeIdle
        case .stop:
            state = .awaitingRequest(.lastRequest)
            return .awaitLastRequest
        }
    }

    /// Enters ``State/lingering`` after a complete response.
    mutating func lingerAfterResponse(failing reader: Reader?) -> FollowUp {
        enterLingering()
        return .closeAfterLingering(failing: reader)
    }

    /// Enters ``State/lingering`` with the server's own response.
    mutating func respondAndClose(_ response: ServerResponse, abandoning abandoned: Abandoned?) -> Action {
        enterLingering()
        return .respondAndClose(response, abandoning: abandoned)
    }

    /// Enters ``State/lingering``: nothing received from now on is served.
    mutating func enterLingering() {
        state = .lingering
        pipelined.removeAll()
    }

    /// Closes at once, abandoning the exchange in progress.
    mutating func close(_ reason: CloseReason) -> Action {
        .close(reason, abandoning: enterClosed())
    }

    /// The channel closed: the exchange in progress, if any, is abandoned (Spec LIFE-4).
    mutating func closed() -> Abandoned? {
        enterClosed()
    }

    /// A lingering close ran its course.
    mutating func lingeringEnded() -> Action {
        guard case .lingering = state else { return .none }
        return close(.lingerEnded)
    }

    /// Enters ``State/closed``, returning the exchange in progress to abandon, if any.
    mutating func enterClosed() -> Abandoned? {
        let abandoned: Abandoned? = if case let .exchanging(exchange, _) = state { abandon(exchange) } else { nil }
        state = .closed
        pipelined.removeAll()
        return abandoned
    }

    func abandon(_ exchange: Exchange) -> Abandoned {
        Abandoned(id: exchange.id, reader: exchange.waitingReader, cancelsApplication: exchange.response != .ended)
    }

    // MARK: Graceful stop

    /// A graceful stop began (Spec LIFE-5). `requestMayBeArriving`: part of a request head has
    /// arrived, bytes wait unread, or the connection's last response ended so recently that the
    /// client may be sending its next request (``ConnectionGuard/mayBeReceivingRequest(within:)``).
    mutating func stop(requestMayBeArriving: Bool) -> Action {
        switch state {
        case .awaitingRequest(.firstRequest):
            // Its client may have sent a request that is still on its way, and clients do not
            // retry a new connection that closed without an answer as they retry a kept one.
            state = .awaitingRequest(.lastRequest)
            return .awaitLastRequest
        case .awaitingRequest(.nextRequest):
            guard requestMayBeArriving || !pipelined.isEmpty else { return close(.stopping) }
            state = .awaitingRequest(.lastRequest)
            return .awaitLastRequest
        case .exchanging(var exchange, .serveNext):
            if case .awaitingHead = exchange.response {
                // Its head will say `Connection: close`, and the connection closes after it.
                exchange.closeAfterResponse()
            }
            state = .exchanging(exchange, afterwards: .stop)
            return .none
        case .awaitingRequest(.lastRequest), .exchanging(_, .stop), .lingering, .upgraded, .closed:
            return .none
        }
    }

    /// The moment a stopping connection waits for its last request is over.
    mutating func lastRequestWindowEnded() -> Action {
        guard case .awaitingRequest(.lastRequest) = state, pipelined.isEmpty else { return .none }
        return close(.stopping)
    }
}
