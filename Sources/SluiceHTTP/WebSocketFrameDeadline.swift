// The deadline of a client's frame: one that begins must arrive whole in time, so that a client
// cannot hold a connection and a buffer by dribbling a frame a byte at a time (Spec WS-15).

import NIOCore

/// Watches the bytes on their way to the frame decoder: when a frame begins, a timer starts; when
/// the frame ends, it stops. When it fires, ``Expired`` goes down the
/// pipeline and ``WebSocketConnectionHandler`` fails the WebSocket. The quiet between frames is
/// not limited: a WebSocket may be idle for as long as its application wants.
final class WebSocketFrameDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The event sent when a frame did not arrive whole in time.
    struct Expired {}

    private let timeout: TimeAmount
    private var boundary = WebSocketFrameBoundary()
    private var timer: Scheduled<Void>?

    init(timeout: Duration) {
        self.timeout = TimeAmount(timeout)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Each frame has its own deadline, from the read that brought its first byte.
        if boundary.consume(unwrapInboundIn(data).readableBytesView) || !boundary.isInsideFrame {
            cancelTimer()
        }
        if boundary.isInsideFrame, timer == nil {
            let context = NIOLoopBound(context, eventLoop: context.eventLoop)
            timer = context.value.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
                self.timer = nil
                context.value.fireUserInboundEventTriggered(Expired())
            }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}
