// One request and its response: the per-exchange state machine. It knows nothing of the
// connection around it, so an HTTP/2 stream can be one exchange as an HTTP/1 request is.

import NIOCore
import NIOHTTP1
import Sluice

/// The state of one exchange — its request body as it arrives and is read, its response as the
/// application writes it — and transitions that return what must happen next.
///
/// A value, touched only on the connection's event loop; ``ConnectionStateMachine`` holds the
/// exchange in progress and turns these outcomes into the actions its channel handler performs.
struct ExchangeStateMachine<Reader> {
    /// Whether the connection may serve another request after this exchange (RFC 9112 §9.3).
    enum Persistence: Equatable {
        case keepAlive
        case close
    }

    /// The exchange's number on its connection: calls for another number are stale.
    let id: Int
    let version: HTTPVersion
    let isHead: Bool
    /// The body length the request declared; `nil` for a chunked body or none.
    let declaredLength: Int?
    private(set) var persistence: Persistence
    private(set) var request: RequestBodyState<Reader>
    private(set) var response = ResponseState.awaitingHead(bodyInHand: false)
    /// The status of the final head that went out; `nil` before it.
    private(set) var sentStatus: Response.Status?

    /// An exchange for an accepted head. `persistence` is `.close` when the client asked for it
    /// or the server is stopping; it becomes `.close` as well for a request that asks to switch
    /// protocols, since the HTTP decoder parses nothing after it: unless the application takes
    /// the upgrade, its response closes the connection (Spec WS-13).
    init(id: Int, head: HTTPRequestHead, accepted: AcceptedHead, persistence: Persistence) {
        self.id = id
        version = head.version
        isHead = head.method == .HEAD
        declaredLength = accepted.declaredLength
        self.persistence = accepted.asksToUpgrade ? .close : persistence
        let hasBody = accepted.declaredLength.map { $0 > 0 } ?? accepted.isChunked
        request = !hasBody ? .awaitingEnd : accepted.expectsContinue ? .awaitingContinue : .receiving(BodyBuffer(), reader: nil)
    }

    /// Whether both the request and the response are complete.
    var isFinished: Bool { request.hasEnded && response == .ended }

    /// Makes the connection close after this exchange; a head still to go says so.
    mutating func closeAfterResponse() {
        persistence = .close
    }

    // MARK: The request body, from the wire

    /// What became of body bytes that arrived.
    enum BodyBytesOutcome {
        /// They go to the reader that waits for them.
        case deliver(to: Reader)
        /// They wait in the buffer for the application.
        case buffered
        /// They passed the size limit: `reader`, if one waits, fails with `tooLarge`.
        case overLimit(failing: Reader?)
        /// They were dropped with the rest of an unread body; the wait for more starts again.
        case discarded
        /// The unread rest grew past what the server drops to keep the connection.
        case discardLimitPassed
        /// They were dropped: the body can no longer be read.
        case dropped
    }

    /// Body bytes arrived.
    mutating func bodyReceived(_ chunk: ByteBuffer, limits: HTTPServerConfiguration.Limits) -> BodyBytesOutcome {
        switch request {
        case .awaitingContinue:
            // The client sends without waiting for 100, as RFC 9110 §10.1.1 allows.
            request = .receiving(BodyBuffer(), reader: nil)
            return bodyReceived(chunk, limits: limits)
        case .receiving(var buffer, let reader):
            // Every path below sets `request` again; emptying it first leaves `buffer` the only
            // reference to its chunks, so that appending does not copy them.
            request = .awaitingEnd
            buffer.count(chunk.readableBytes)
            guard buffer.receivedBytes <= limits.maxBodyBytes else {
                request = .overLimit(limit: limits.maxBodyBytes, messageEnded: false)
                persistence = .close
                return .overLimit(failing: reader)
            }
            if let reader {
                request = .receiving(buffer, reader: nil)
                return .deliver(to: reader)
            }
            buffer.append(chunk)
            request = .receiving(buffer, reader: nil)
            return .buffered
        case .discarding(let dropped):
            let now = dropped + chunk.readableBytes
            guard now <= limits.maxDiscardedBodyBytes else { return .discardLimitPassed }
            request = .discarding(dropped: now)
            return .discarded
        case .awaitingEnd, .overLimit, .ended:
            return .dropped
        }
    }

    /// The end of the request arrived. Returns the reader that waited for more, now to be told
    /// the body ended.
    mutating func endReceived() -> Reader? {
        switch request {
        case .receiving(let buffer, let reader):
            request = .ended(buffer)
            return reader
        case let .overLimit(limit, _):
            request = .overLimit(limit: limit, messageEnded: true)
            return nil
        case .awaitingEnd, .awaitingContinue, .discarding:
            request = .ended(BodyBuffer())
            return nil
        case .ended:
            return nil
        }
    }

    // MARK: The request body, as the application reads it

    /// What a read of the body gets.
    enum BodyReadOutcome {
        /// The next chunk, from the buffer.
        case chunk(ByteBuffer)
        /// The body ended.
        case end
        /// The read fails.
        case failure(any Error)
        /// The reader waits for bytes; `sendsContinue` says the client must first be told to
        /// send them (Spec BODY-6).
        case wait(sendsContinue: Bool)
    }

    /// The application asks for the next body chunk with `reader`.
    mutating func bodyRequested(by reader: Reader) -> BodyReadOutcome {
        switch request {
        case .awaitingContinue:
            guard case .awaitingHead = response else {
                // A final head went out without 100: the client will not send the body.
                return .failure(RequestBodyError.truncated(expected: declaredLength ?? 0, received: 0))
            }
            request = .receiving(BodyBuffer(), reader: reader)
            return .wait(sendsContinue: true)
        case .receiving(var buffer, .none):
            request = .awaitingEnd  // set again below; see bodyReceived
            if let chunk = buffer.takeFirst() {
                request = .receiving(buffer, reader: nil)
                return .chunk(chunk)
            }
            request = .receiving(buffer, reader: reader)
            return .wait(sendsContinue: false)
        case .receiving:
            // A second read while one waits: a body is read one chunk at a time (Spec BODY-1).
            return .failure(RequestBodyError.alreadyConsumed)
        case .ended(var buffer):
            request = .awaitingEnd  // set again below; see bodyReceived
            let chunk = buffer.takeFirst()
            request = .ended(buffer)
            guard let chunk else { return .end }
            return .chunk(chunk)
        case .awaitingEnd:
            return .end
        case let .overLimit(limit, _):
            return .failure(RequestBodyError.tooLarge(limit: limit))
        case .discarding:
            return .failure(ClientDisconnected())
        }
    }

    /// How many body bytes are buffered for a slow application before reading stops
    /// (Spec BODY-2).
    static var bodyBufferLimit: Int { 64 * 1024 }

    /// Whether more body bytes may be read for the application: its buffer is under the limit.
    var canBufferMoreBody: Bool {
        if case .receiving(let buffer, _) = request { buffer.bufferedBytes < Self.bodyBufferLimit } else { true }
    }

    /// The reader waiting for body bytes, if one does.
    var waitingReader: Reader? {
        if case .receiving(_, let reader?) = request { reader } else { nil }
    }

    /// Whether an unread body is being dropped after the response.
    var isDiscarding: Bool {
        if case .discarding = request { true } else { false }
    }

    // MARK: The response

    /// Decides how a final head with `status` goes out and records that it did. `bodyFollows`:
    /// the head is written alone, its body (if any) to be produced after it; `hasContentLength`:
    /// the application's fields declare the length.
    mutating func headSent(status: Response.Status, hasContentLength: Bool, bodyFollows: Bool) -> HeadFraming {
        var framing = HeadFraming()
        sentStatus = status
        let bodyInHand = response == .awaitingHead(bodyInHand: true)
        if case .awaitingContinue = request {
            if bodyFollows && !bodyInHand && status.allowsBody && !isHead && status.code < 400 {
                // The body is read while the response streams: the client must be told to send it.
                framing.sendsContinue = true
                request = .receiving(BodyBuffer(), reader: nil)
            } else {
                // No 100: the client may never send the body, so the connection cannot be reused.
                persistence = .close
            }
        }
        if version.isHTTP2 {
            // A stream frames its messages itself: no field to add (RFC 9113 §8.1).
            response = .sendingBody
            return framing
        }
        if status.allowsBody && !hasContentLength {
            if version.minor >= 1 {
                framing.isChunked = !isHead
            } else {
                // An HTTP/1.0 body of unknown length ends when the connection does.
                persistence = .close
            }
        }
        if persistence == .close {
            framing.connection = .close
        } else if version.minor == 0 {
            framing.connection = .keepAlive
        }
        response = .sendingBody
        return framing
    }

    /// The server declined to send the response whole; its head follows alone.
    mutating func wholeResponseDeclined() {
        if case .awaitingHead = response { response = .awaitingHead(bodyInHand: true) }
    }

    /// What becomes of the rest of the request once the response has ended.
    enum ResponseEndOutcome {
        /// The request had ended as well: the exchange is over.
        case finished
        /// Only the end of a request without a body is still to come.
        case awaitingRequestEnd
        /// The unread rest of the body is read and dropped; `reader`, if one waited, fails.
        case discarding(failing: Reader?)
        /// The connection must close: the rest cannot be dropped, or it was to close anyway.
        case closing(failing: Reader?)
    }

    /// The end of the response went out.
    mutating func responseEnded(limits: HTTPServerConfiguration.Limits) -> ResponseEndOutcome {
        response = .ended
        let reader = waitingReader
        switch request {
        case .ended, .overLimit(_, messageEnded: true):
            request = .ended(BodyBuffer())
            return persistence == .close ? .closing(failing: nil) : .finished
        case .awaitingEnd:
            return persistence == .close ? .closing(failing: nil) : .awaitingRequestEnd
        case .receiving(let buffer, _):
            let rest = declaredLength.map { $0 - buffer.receivedBytes } ?? 0
            guard persistence == .keepAlive, rest <= limits.maxDiscardedBodyBytes else {
                persistence = .close
                return .closing(failing: reader)
            }
            request = .discarding(dropped: 0)
            return .discarding(failing: reader)
        case .awaitingContinue, .overLimit, .discarding:
            persistence = .close
            return .closing(failing: nil)
        }
    }
}
