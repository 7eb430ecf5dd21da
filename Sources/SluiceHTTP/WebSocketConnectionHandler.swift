// The channel handler of a connection after its WebSocket handshake: one per WebSocket. It feeds
// frames, the application's calls and a graceful stop to the WebSocket's state machine and
// performs what it returns.

import Logging
import NIOCore
import NIOWebSocket
import Sluice

/// Performs a ``WebSocketStateMachine`` on its channel, behind NIO's frame decoder and encoder:
/// frames, decoder errors, a graceful stop and the session's calls go in; frames, timers and the
/// close come out. Everything runs on the connection's event loop; the session reaches it
/// through ``ChannelWebSocket``.
final class WebSocketConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame
    typealias Reader = CheckedContinuation<WebSocketMessage?, any Error>
    typealias Machine = WebSocketStateMachine<Reader>

    private var machine: Machine
    private let settings: ConnectionSettings
    /// Cancels the session's task when the connection drops while open (Spec WS-10).
    private let cancelSession: () -> Void
    private var context: ChannelHandlerContext!
    /// The session's end of the connection; made with the handler.
    private(set) var socket: ChannelWebSocket!
    private var readIsHeld = false
    private var writabilityWaiters: [CheckedContinuation<Void, any Error>] = []
    /// Sessions waiting in ``ChannelWebSocket/close(_:)`` for the connection to close.
    private var closeWaiters: [CheckedContinuation<(any Error)?, Never>] = []
    /// Ends the wait for the client's close frame (Spec WS-9).
    private var closeTimer: Scheduled<Void>?
    /// Closes the connection when a client leaves a send waiting too long (Spec WS-7).
    private var writeTimer: Scheduled<Void>?

    init(settings: ConnectionSettings, cancelSession: @escaping () -> Void) {
        machine = Machine(maxMessageBytes: settings.limits.maxWebSocketMessageBytes)
        self.settings = settings
        self.cancelSession = cancelSession
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        socket = ChannelWebSocket(handler: self, eventLoop: context.eventLoop, peer: context.channel.remoteAddress?.ipAddress ?? "")
    }

    /// The close a graceful stop sends (Spec WS-12).
    static var stopClose: WebSocketClose { WebSocketClose(code: 1001, reason: "server stopping") }

    /// A graceful stop began before the WebSocket opened: it closes with 1001 at once (Spec WS-12).
    func stop() {
        perform(machine.closeRequested(Self.stopClose))
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        perform(machine.received(unwrapInboundIn(data)))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let frameError = error as? NIOWebSocketError {
            perform(machine.undecodable(frameError))
        } else if error is ByteToMessageDecoderError {
            // More bytes after a frame error: the machine already closes.
        } else {
            settings.logger.debug("WebSocket connection error", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionClosed()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        connectionClosed()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            perform(machine.closeRequested(Self.stopClose))
        } else if event is WebSocketFrameDeadline.Expired {
            perform(machine.frameTimedOut())
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            writeTimer?.cancel()
            writeTimer = nil
            let waiters = writabilityWaiters
            writabilityWaiters = []
            for waiter in waiters { waiter.resume() }
            resumeReadingIfAllowed()
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Reads: backpressure both ways

    /// Reads only while the session keeps up and the client reads what is sent: a client that
    /// reads nothing cannot make the server queue pongs without bound (Spec WS-7).
    func read(context: ChannelHandlerContext) {
        if machine.allowsReading, context.channel.isWritable {
            context.read()
        } else {
            readIsHeld = true
        }
    }

    private func resumeReadingIfAllowed() {
        guard readIsHeld, machine.allowsReading, context.channel.isWritable else { return }
        readIsHeld = false
        context.read()
    }

    // MARK: Calls from the session's task

    func nextMessage(_ reader: Reader) {
        perform(machine.messageRequested(by: reader))
        resumeReadingIfAllowed()
    }

    /// Writes a message as one frame and flushes it; returns whether the caller must wait for
    /// the socket to drain.
    func send(_ message: WebSocketMessage) throws -> Bool {
        guard machine.allowsSending else {
            if case .closed(.dropped) = machine.state { throw ClientDisconnected() }
            throw WebSocketError.closed
        }
        let allocator = context.channel.allocator
        let frame: WebSocketFrame =
            switch message {
            case let .text(text): WebSocketFrame(fin: true, opcode: .text, data: allocator.buffer(string: text))
            case let .binary(bytes): WebSocketFrame(fin: true, opcode: .binary, data: allocator.buffer(bytes: bytes))
            case let .ping(bytes): WebSocketFrame(fin: true, opcode: .ping, data: allocator.buffer(bytes: bytes))
            case let .pong(bytes): WebSocketFrame(fin: true, opcode: .pong, data: allocator.buffer(bytes: bytes))
            }
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        return !context.channel.isWritable
    }

    func waitForWritability(_ continuation: CheckedContinuation<Void, any Error>) {
        guard context.channel.isActive else { return continuation.resume(throwing: ClientDisconnected()) }
        if context.channel.isWritable { return continuation.resume() }
        writabilityWaiters.append(continuation)
        if writeTimer == nil {
            writeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(settings.timeouts.responseWrite)) {
                self.writeTimer = nil
                self.settings.logger.debug("closing the WebSocket", metadata: ["reason": "\(CloseReason.writeTimedOut)"])
                self.context.close(promise: nil)
            }
        }
    }

    func close(_ close: WebSocketClose, _ waiter: CheckedContinuation<(any Error)?, Never>) {
        if let ending { return waiter.resume(returning: Self.error(for: ending)) }
        closeWaiters.append(waiter)
        perform(machine.closeRequested(close))
    }

    // MARK: Performing actions

    private func perform(_ action: Machine.Action) {
        switch action {
        case .none:
            break
        case let .resume(reader, read):
            resume(reader, read)
        case let .pong(payload, resuming):
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: payload)), promise: nil)
            resuming.map(resume)
        case let .sendClose(close, resuming):
            if case .closing(let violation?) = machine.state {
                settings.logger.notice("failed a WebSocket", metadata: ["close": "\(violation)", "peer": "\(socket.peer)"])
            }
            context.writeAndFlush(wrapOutboundOut(closeFrame(close)), promise: nil)
            resuming.map(resume)
            closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(settings.timeouts.webSocketClose)) {
                self.closeTimer = nil
                self.perform(self.machine.closeTimedOut())
            }
        case let .acknowledgeClose(close, resuming):
            socket.closeArrived(machine.closeReceived)
            context.writeAndFlush(wrapOutboundOut(closeFrame(close)), promise: nil)
            resuming.map(resume)
            context.close(promise: nil)
        case let .closeConnection(resuming):
            socket.closeArrived(machine.closeReceived)
            resuming.map(resume)
            context.close(promise: nil)
        }
        resumeReadingIfAllowed()
    }

    private func resume(_ reader: Reader, _ read: Machine.Read) {
        switch read {
        case let .message(message): reader.resume(returning: message)
        case .end: reader.resume(returning: nil)
        case let .failure(error): reader.resume(throwing: error)
        }
    }

    private func closeFrame(_ requested: WebSocketClose?) -> WebSocketFrame {
        let close = requested?.sendable
        var payload = context.channel.allocator.buffer(capacity: 2 + (close?.reason.utf8.count ?? 0))
        if let close {
            payload.writeInteger(close.code)
            payload.writeString(close.reason)
        }
        return WebSocketFrame(fin: true, opcode: .connectionClose, data: payload)
    }

    /// The connection closed (or the handler left it): every wait ends, and a session whose
    /// client dropped while open is cancelled (Spec WS-10).
    private func connectionClosed() {
        guard ending == nil else { return }
        let (ending, reader) = machine.connectionClosed()
        self.ending = ending
        closeTimer?.cancel()
        closeTimer = nil
        writeTimer?.cancel()
        writeTimer = nil
        reader.map(resume)
        let waiters = writabilityWaiters
        writabilityWaiters = []
        for waiter in waiters { waiter.resume(throwing: ClientDisconnected()) }
        let closers = closeWaiters
        closeWaiters = []
        for closer in closers { closer.resume(returning: Self.error(for: ending)) }
        if ending == .dropped { cancelSession() }
    }

    /// How the connection ended, once it closed.
    private var ending: Machine.Ending?

    /// What ``ChannelWebSocket/close(_:)`` reports for an ending.
    static func error(for ending: Machine.Ending) -> (any Error)? {
        switch ending {
        case .closedCleanly: nil
        case let .violation(close): WebSocketError.protocolViolation(close)
        case .dropped: ClientDisconnected()
        }
    }
}
