// The state machine of one WebSocket connection after its handshake: the client's frames in,
// the application's reads, the closing handshake and how the connection ended.

import NIOCore
import NIOWebSocket
import Sluice

/// One WebSocket's state, as a value whose transitions return ``Action``s for
/// ``WebSocketConnectionHandler`` to perform; touched only on the connection's event loop.
///
/// `Reader` is what an application waiting for the next message waits with: a continuation in
/// the server, any value in tests.
struct WebSocketStateMachine<Reader> {
    enum State: Equatable {
        /// Messages flow both ways.
        case open
        /// The server sent its close frame and waits for the client's. `violation` is the close
        /// it failed the connection with for the client's fault, if it did (Spec WS-8).
        case closing(violation: WebSocketClose?)
        /// The connection is closed; `ending` says how it ended.
        case closed(Ending)
    }

    /// How a closed WebSocket ended.
    enum Ending: Equatable {
        /// With a closing handshake, or after the server's close frame went unanswered for the
        /// close timeout.
        case closedCleanly
        /// The server failed it with this close, for the client's fault (Spec WS-8).
        case violation(WebSocketClose)
        /// The connection dropped while open (Spec WS-10).
        case dropped
    }

    /// What a read gets.
    enum Read {
        case message(WebSocketMessage)
        /// The closing handshake has begun and every message before it was read.
        case end
        case failure(any Error)
    }

    /// What the handler does after an event.
    enum Action {
        case none
        /// Hand a waiting reader its result.
        case resume(Reader, Read)
        /// Answer a ping with a pong carrying its payload, flushed; then hand over the ping, if
        /// a reader waits.
        case pong(ByteBuffer, resuming: (Reader, Read)?)
        /// Send the server's close frame (flushed) and wait, at most the close timeout, for the
        /// client's; hand a waiting reader its result.
        case sendClose(WebSocketClose, resuming: (Reader, Read)?)
        /// Answer the client's close frame with one echoing its code (an empty one for a close
        /// without code), then close the connection (RFC 6455 section 5.5.1, 7.1.1).
        case acknowledgeClose(WebSocketClose?, resuming: (Reader, Read)?)
        /// Close the connection: the closing handshake is complete.
        case closeConnection(resuming: (Reader, Read)?)
    }

    /// How many bytes of unread messages the server holds before it stops reading (Spec WS-7).
    static var unreadLimit: Int { 64 * 1024 }

    /// What an unread message counts against ``unreadLimit``: its payload and its keeping, so
    /// that a flood of empty pings is bounded too.
    static func cost(of message: WebSocketMessage) -> Int {
        message.payloadCount + 64
    }

    private(set) var state = State.open
    /// The close frame the client sent, once it arrived.
    private(set) var closeReceived: WebSocketClose?
    private var assembly: WebSocketMessageAssembly
    private var unread = CircularBuffer<WebSocketMessage>(initialCapacity: 4)
    private var unreadBytes = 0
    private var reader: Reader?

    init(maxMessageBytes: Int) {
        assembly = WebSocketMessageAssembly(maxMessageBytes: maxMessageBytes)
    }

    /// Whether the handler may read from the socket: while messages may still arrive and the
    /// application keeps up (Spec WS-7).
    var allowsReading: Bool {
        switch state {
        case .open: unreadBytes < Self.unreadLimit
        case .closing: true
        case .closed: false
        }
    }

    /// Whether the application may send: only while open (Spec WS-9).
    var allowsSending: Bool { state == .open }

    // MARK: Frames from the client

    /// A frame arrived.
    mutating func received(_ frame: WebSocketFrame) -> Action {
        guard case .open = state else {
            // After the server's close, only the client's close matters (RFC 6455 section 1.4).
            guard case .closing = state, frame.opcode == .connectionClose else { return .none }
            closeReceived = try? Self.close(in: frame.unmaskedData).get()
            return .closeConnection(resuming: nil)
        }
        guard frame.maskKey != nil else { return fail(WebSocketClose(code: 1002, reason: "unmasked client frame")) }
        guard frame.reservedBits.isEmpty else { return fail(WebSocketClose(code: 1002, reason: "reserved bits set without an extension")) }
        let payload = frame.unmaskedData
        switch frame.opcode {
        case .text, .binary, .continuation:
            switch assembly.take(frame.opcode, fin: frame.fin, payload: payload) {
            case .incomplete: return .none
            case let .message(message): return deliver(message)
            case let .violation(close): return fail(close)
            }
        case .ping:
            let message = WebSocketMessage.ping(Array(payload.readableBytesView))
            guard case let .resume(reader, read) = deliver(message) else { return .pong(payload, resuming: nil) }
            return .pong(payload, resuming: (reader, read))
        case .pong:
            return deliver(.pong(Array(payload.readableBytesView)))
        case .connectionClose:
            return closeFrameReceived(payload)
        default:
            return fail(WebSocketClose(code: 1002, reason: "unknown opcode \(frame.opcode)"))
        }
    }

    /// The frame decoder failed: a frame over the size limit, a fragmented control frame or one
    /// longer than 125 bytes.
    mutating func undecodable(_ error: NIOWebSocketError) -> Action {
        guard case .open = state else { return .none }
        switch error {
        case .invalidFrameLength: return fail(WebSocketClose(code: 1009, reason: "frame over \(assembly.maxMessageBytes) bytes"))
        case .fragmentedControlFrame: return fail(WebSocketClose(code: 1002, reason: "fragmented control frame"))
        case .multiByteControlFrameLength: return fail(WebSocketClose(code: 1002, reason: "control frame over 125 bytes"))
        }
    }

    /// A frame began and did not arrive whole within the frame timeout: the client is too slow,
    /// or holds the connection on purpose (Spec WS-15).
    mutating func frameTimedOut() -> Action {
        guard case .open = state else { return .none }
        return fail(WebSocketClose(code: 1008, reason: "frame not received in time"))
    }

    private mutating func closeFrameReceived(_ payload: ByteBuffer) -> Action {
        let close: WebSocketClose
        switch Self.close(in: payload) {
        case let .success(received): close = received
        case let .failure(violation): return fail(violation.close)
        }
        closeReceived = close
        state = .closed(.closedCleanly)
        // 1005 stands for a close without code, which is answered by one without code too.
        let answer = close == .noStatusReceived ? nil : WebSocketClose(code: close.code)
        return .acknowledgeClose(answer, resuming: endForWaitingReader())
    }

    /// Why a close frame's payload is malformed, and the close that answers it.
    struct MalformedClose: Error {
        var close: WebSocketClose
    }

    /// The close a close frame's payload holds (1005 for an empty one), or why it holds none
    /// that may be sent: one byte, a code not valid on the wire (1002), a reason that is not
    /// UTF-8 (1007) (RFC 6455 section 5.5.1, 7.4).
    static func close(in payload: ByteBuffer) -> Result<WebSocketClose, MalformedClose> {
        var payload = payload
        guard payload.readableBytes > 0 else { return .success(.noStatusReceived) }
        guard let code = payload.readInteger(as: UInt16.self) else {
            return .failure(MalformedClose(close: WebSocketClose(code: 1002, reason: "a close payload of one byte")))
        }
        guard WebSocketClose.isValidOnTheWire(code) else {
            return .failure(MalformedClose(close: WebSocketClose(code: 1002, reason: "close code \(code) may not be sent")))
        }
        var validator = UTF8Validator()
        let reason = payload.readableBytesView
        guard validator.consume(reason), validator.isComplete else {
            return .failure(MalformedClose(close: WebSocketClose(code: 1007, reason: "close reason is not valid UTF-8")))
        }
        return .success(WebSocketClose(code: code, reason: String(decoding: reason, as: UTF8.self)))
    }

    private mutating func deliver(_ message: WebSocketMessage) -> Action {
        if let waiting = reader {
            reader = nil
            return .resume(waiting, .message(message))
        }
        unread.append(message)
        unreadBytes += Self.cost(of: message)
        return .none
    }

    /// Fails the connection for the client's fault: the server's close goes out, and the
    /// application reads the violation once it has read what came before (Spec WS-8).
    private mutating func fail(_ close: WebSocketClose) -> Action {
        state = .closing(violation: close)
        return .sendClose(close, resuming: endForWaitingReader())
    }

    // MARK: The application

    /// The application asks for the next message with `reader`.
    mutating func messageRequested(by reader: Reader) -> Action {
        if let message = unread.popFirst() {
            unreadBytes -= Self.cost(of: message)
            return .resume(reader, .message(message))
        }
        switch state {
        case .open:
            guard self.reader == nil else { return .resume(reader, .failure(WebSocketError.alreadyConsumed)) }
            self.reader = reader
            return .none
        case .closing, .closed:
            return .resume(reader, end)
        }
    }

    /// The application, or a graceful stop, begins the closing handshake with `close`.
    mutating func closeRequested(_ close: WebSocketClose) -> Action {
        guard case .open = state else { return .none }
        state = .closing(violation: nil)
        return .sendClose(close, resuming: endForWaitingReader())
    }

    // MARK: Ending

    /// The close timeout passed with the client's close frame still due.
    mutating func closeTimedOut() -> Action {
        guard case .closing = state else { return .none }
        return .closeConnection(resuming: nil)
    }

    /// The connection closed: returns how it ended, and the reader to fail, if one waits.
    mutating func connectionClosed() -> (ending: Ending, reader: (Reader, Read)?) {
        let ending: Ending
        switch state {
        case .open: ending = .dropped
        case let .closing(violation): ending = violation.map(Ending.violation) ?? .closedCleanly
        case let .closed(already): ending = already
        }
        state = .closed(ending)
        if ending == .dropped {
            unread.removeAll()
            unreadBytes = 0
        }
        let waiting = reader.map { ($0, end) }
        reader = nil
        return (ending, waiting)
    }

    /// What a read gets once no message is left: the end, or why there is none.
    private var end: Read {
        switch state {
        case .open, .closing(violation: nil), .closed(.closedCleanly): .end
        case let .closing(violation?), let .closed(.violation(violation)): .failure(WebSocketError.protocolViolation(violation))
        case .closed(.dropped): .failure(ClientDisconnected())
        }
    }

    /// The waiting reader with what it gets now that no more messages will come, if one waits
    /// (it waits only when nothing is unread).
    private mutating func endForWaitingReader() -> (Reader, Read)? {
        defer { reader = nil }
        return reader.map { ($0, end) }
    }
}
