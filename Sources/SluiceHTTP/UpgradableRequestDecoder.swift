// NIO's HTTP request decoder, handing the bytes it holds behind a request to the next protocol
// only when the connection switches to one (Spec WS-1).

import NIOCore
import NIOHTTP1

/// An `HTTPRequestDecoder` that drops what it holds when it leaves the pipeline, unless the
/// connection switched to a WebSocket (its handler is in the pipeline): then those bytes —
/// frames a client sent right behind its handshake — go on to the frame decoder. With NIO's
/// own `.forwardBytes`, which forwards on every removal, truncated pipelines in the
/// differential framing test lost their responses; gated this way they do not.
final class UpgradableRequestDecoder: ByteToMessageDecoder {
    typealias InboundOut = HTTPServerRequestPart

    private let decoder = HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)

    func decoderAdded(context: ChannelHandlerContext) {
        decoder.decoderAdded(context: context)
    }

    func decoderRemoved(context: ChannelHandlerContext) {
        decoder.decoderRemoved(context: context)
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        try decoder.decode(context: context, buffer: &buffer)
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        let state = try decoder.decodeLast(context: context, buffer: &buffer, seenEOF: seenEOF)
        if !seenEOF, buffer.readableBytes > 0, Self.switchedProtocols(context) {
            let leftovers = buffer.readSlice(length: buffer.readableBytes)!
            context.fireChannelRead(NIOAny(leftovers))
        }
        return state
    }

    /// Whether the connection is leaving HTTP for a WebSocket (``WebSocketPipeline``).
    private static func switchedProtocols(_ context: ChannelHandlerContext) -> Bool {
        (try? context.pipeline.syncOperations.handler(type: WebSocketConnectionHandler.self)) != nil
    }
}
