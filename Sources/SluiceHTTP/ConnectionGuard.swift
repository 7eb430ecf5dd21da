// Timeouts and the size limit for the part of a request NIO's parser buffers: the head.

import Logging
import NIOCore
import Sluice

/// Sits in front of the HTTP decoder and watches raw bytes between requests (Spec SEC-3):
///
/// - an idle kept-alive connection is closed after ``HTTPServerConfiguration/Timeouts/idle``;
/// - once the first byte of a request arrives, the whole head must follow within
///   ``HTTPServerConfiguration/Timeouts/requestHead`` (slow-loris clients get 408);
/// - a head longer than the limits allow gets 431 before it is parsed any further.
///
/// The connection handler calls it directly (both live on the connection's event loop) when a
/// head arrived, when the connection went idle again and when it closes; between a head and the
/// end of its exchange it does nothing.
final class ConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = IOData

    private enum State {
        /// Waiting for a request: nothing received since the last head.
        case idle
        /// Part of a request head has arrived: `bytes` of it, the last `matched` of which begin
        /// the blank line that ends a head.
        case receivingHead(bytes: Int, matched: Int)
        /// A request is being served.
        case busy
        /// The server answered on its own or closes after a response; input is dropped.
        case refused
    }

    private let timeouts: HTTPServerConfiguration.Timeouts
    private let maxHeadBytes: Int
    private let logger: Logger
    private let observer: (any ServerObserver)?
    private var context: ChannelHandlerContext?
    private var state = State.idle
    /// Bytes that arrived while busy: the start of a pipelined request.
    private var receivedWhileBusy = false
    /// When the current wait ends, if the connection is waiting on the client.
    private var deadline: NIODeadline?
    /// The one timer, firing no later than `deadline`; it is moved only when a deadline comes
    /// earlier than it, not per request.
    private var timer: (task: Scheduled<Void>, firesAt: NIODeadline)?

    init(timeouts: HTTPServerConfiguration.Timeouts, maxHeadBytes: Int, logger: Logger, observer: (any ServerObserver)? = nil) {
        self.observer = observer
        self.timeouts = timeouts
        self.maxHeadBytes = maxHeadBytes
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        // Added after TLS's handshake or HTTP/2's preface check, the connection is open already.
        if context.channel.isActive {
            arm(context, after: timeouts.idle)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        // It leaves an upgraded connection (WebSocketPipeline), which its timer has no say over.
        timer?.task.cancel()
        timer = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context, after: timeouts.idle)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.task.cancel()
        timer = nil
        deadline = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        bytesRead &+= UInt64(buffer.readableBytes)
        switch state {
        case .idle:
            state = .receivingHead(bytes: 0, matched: 0)
            arm(context, after: timeouts.requestHead)
        case .receivingHead:
            break
        case .busy:
            receivedWhileBusy = true
        case .refused:
            return
        }
        if case let .receivingHead(bytes, matched) = state {
            // The usual read, a whole head within the limit, ends with the blank line: a head
            // ends in it, whatever comes between, and no byte needs looking at.
            let (end, nowMatched) =
                bytes + buffer.readableBytes <= maxHeadBytes && Self.endsWithBlankLine(buffer.readableBytesView)
                ? (buffer.readableBytes, 0) : Self.headEnd(in: buffer.readableBytesView, continuing: matched)
            if bytes + (end ?? buffer.readableBytes) > maxHeadBytes {
                refuse(context, status: .requestHeaderFieldsTooLarge, reason: "request head over \(maxHeadBytes) bytes")
                return
            }
            if end != nil {
                // The whole head is here: what follows is a body or pipelined requests.
                deadline = nil
                state = .busy
            } else {
                state = .receivingHead(bytes: bytes + buffer.readableBytes, matched: nowMatched)
            }
        }
        buffer.withUnsafeReadableBytes { bytes in
            bytesBeingParsed = bytes
            context.fireChannelRead(data)
            bytesBeingParsed = nil
        }
    }

    /// The bytes of the read the HTTP decoder is parsing right now, if any: for telling why it
    /// failed where its error does not say (``ParserErrorStatus``). Valid only while the
    /// decoder runs, within this handler's `channelRead`; a pointer rather than the buffer, so
    /// that NIO can reuse the buffer's storage for the next read.
    private(set) var bytesBeingParsed: UnsafeRawBufferPointer?

    /// Whether `bytes` end with CR LF CR LF.
    private static func endsWithBlankLine(_ bytes: ByteBufferView) -> Bool {
        bytes.count >= 4 && bytes.suffix(4).elementsEqual([13, 10, 13, 10])
    }

    /// Where the blank line ending a head (CR LF CR LF) ends in `bytes`, if it does, given the
    /// `matched` bytes of it that ended the data before; and how many of its bytes end `bytes`.
    private static func headEnd(in bytes: ByteBufferView, continuing matched: Int) -> (end: Int?, matched: Int) {
        let blankLine: [UInt8] = [13, 10, 13, 10]
        var matched = matched
        var offset = 0
        for byte in bytes {
            offset += 1
            if byte == blankLine[matched] {
                matched += 1
                if matched == blankLine.count { return (offset, 0) }
            } else {
                matched = byte == 13 ? 1 : 0
            }
        }
        return (nil, matched)
    }

    /// A request head arrived: the head's timeout and size limit stop for this request.
    func requestHeadReceived() {
        guard !isRefused else { return }
        deadline = nil
        state = .busy
        receivedWhileBusy = false
    }

    /// The last exchange is complete and the connection stays open for the next request.
    func becameIdle() {
        guard let context, !isRefused else { return }
        let now = NIODeadline.now()
        idleSince = now
        if receivedWhileBusy {
            state = .receivingHead(bytes: 0, matched: 0)
            arm(context, after: timeouts.requestHead, from: now)
        } else {
            state = .idle
            arm(context, after: timeouts.idle, from: now)
        }
    }

    /// When the connection last became idle after an exchange; `nil` before its first.
    private var idleSince: NIODeadline?

    /// How many bytes the connection has read.
    private var bytesRead: UInt64 = 0

    /// Whether a request may be arriving, for a graceful stop (Spec LIFE-5): part of a head is
    /// here; the last exchange ended less than `window` ago, so that the client may be sending
    /// its next request right now; or the kernel holds bytes not read yet (where it can tell:
    /// TCP on Linux), however long the connection was idle.
    func mayBeReceivingRequest(within window: TimeAmount) -> Bool {
        switch state {
        case .receivingHead:
            return true
        case .idle:
            if let idleSince, NIODeadline.now() - idleSince < window { return true }
            guard let context, let received = ReceivedByteCount.of(context.channel) else { return false }
            return received > bytesRead
        case .busy, .refused:
            return false
        }
    }

    /// The connection is closing: input is dropped from now on and no timer runs.
    func stopWatching() {
        state = .refused
        deadline = nil
    }

    private var isRefused: Bool {
        if case .refused = state { true } else { false }
    }

    private func arm(_ context: ChannelHandlerContext, after delay: Duration, from now: NIODeadline = .now()) {
        let deadline = now + TimeAmount(delay)
        self.deadline = deadline
        if let timer, timer.firesAt <= deadline { return }
        schedule(context, at: deadline)
    }

    private func schedule(_ context: ChannelHandlerContext, at firesAt: NIODeadline) {
        timer?.task.cancel()
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: firesAt) { [self] in
            timer = nil
            timerFired(context)
        }
        timer = (task, firesAt)
    }

    private func timerFired(_ context: ChannelHandlerContext) {
        guard let deadline else { return }
        guard deadline <= NIODeadline.now() else {
            return schedule(context, at: deadline)
        }
        self.deadline = nil
        switch state {
        case .idle:
            context.close(promise: nil)
        case .receivingHead:
            refuse(context, status: .requestTimeout, reason: "request head not complete after \(timeouts.requestHead)")
        case .busy, .refused:
            break
        }
    }

    /// Answers without involving the HTTP handlers (the head is not parsed yet) and closes.
    private func refuse(_ context: ChannelHandlerContext, status code: Response.Status, reason: String) {
        observer?.requestRefused(status: code)
        let status = "\(code)"
        logger.notice(
            "rejected a request",
            metadata: [
                "status": "\(status)", "reason": "\(reason)",
                "peer": "\(context.channel.remoteAddress?.ipAddress ?? "")",
            ])
        deadline = nil
        state = .refused
        let text = "\(status)\n"
        let response =
            "HTTP/1.1 \(status)\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(text.utf8.count)\r\nDate: \(HTTPDate.now())\r\n\r\n\(text)"
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(context.channel.allocator.buffer(string: response))), promise: nil)
        context.close(mode: .output, promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(2)) {
            context.close(promise: nil)
        }
    }
}
