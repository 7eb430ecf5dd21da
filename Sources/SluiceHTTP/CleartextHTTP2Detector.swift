// On a cleartext port that offers h2c: telling an HTTP/2 client by its first bytes.

import NIOCore

/// The first handler of a cleartext connection when HTTP/2 by prior knowledge is on (Spec H2-6):
/// a connection that opens with HTTP/2's connection preface (RFC 9113 §3.4) is set up as HTTP/2,
/// any other as HTTP/1.1, as soon as the first bytes tell — then the bytes are passed on and
/// this handler removes itself. A connection that sends nothing is closed after the idle
/// timeout, as an HTTP/1.1 one would be.
final class CleartextHTTP2Detector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private let idleTimeout: Duration
    private let decided: (any Channel, ConnectionSetup.HTTPProtocol) throws -> Void
    private var received: ByteBuffer?
    private var timer: Scheduled<Void>?

    init(idleTimeout: Duration, decided: @escaping (any Channel, ConnectionSetup.HTTPProtocol) throws -> Void) {
        self.idleTimeout = idleTimeout
        self.decided = decided
    }

    func handlerAdded(context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(idleTimeout)) {
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if var earlier = received {
            earlier.writeBuffer(&bytes)
            bytes = earlier
        }
        let compared = bytes.readableBytesView.prefix(Self.preface.count)
        let isPreface = compared.elementsEqual(Self.preface.prefix(compared.count))
        guard !isPreface || compared.count == Self.preface.count else {
            received = bytes
            return
        }
        received = nil
        do {
            try decided(context.channel, isPreface ? .http2 : .http1)
        } catch {
            return context.close(promise: nil)
        }
        context.fireChannelRead(wrapInboundOut(bytes))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
