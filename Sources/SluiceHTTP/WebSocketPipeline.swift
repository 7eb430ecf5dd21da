// The handlers of a connection after its WebSocket handshake, in place of HTTP's.

import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Hands a connection from HTTP to a WebSocket once the `101` is written: NIO's frame encoder
/// and decoder, a ``WebSocketFrameDeadline`` and a ``WebSocketConnectionHandler`` take the place of the HTTP codec, the
/// ``HTTPConnectionHandler`` and the ``ConnectionGuard``. Bytes the client sent after its
/// handshake, which the HTTP decoder held (it parses nothing after an upgrade request), reach
/// the frame decoder when the HTTP decoder leaves.
enum WebSocketPipeline {
    /// Switches `channel`; returns the session's end of the WebSocket. `stopping`: a graceful
    /// stop began before, so the WebSocket closes with 1001 at once (Spec WS-12).
    static func switchProtocols(
        _ channel: any Channel, settings: ConnectionSettings, stopping: Bool, cancelSession: @escaping () -> Void
    ) throws -> ChannelWebSocket {
        let pipeline = channel.pipeline.syncOperations
        let handler = WebSocketConnectionHandler(settings: settings, cancelSession: cancelSession)
        try pipeline.addHandlers([
            WebSocketFrameEncoder(),
            WebSocketFrameDeadline(timeout: settings.timeouts.webSocketFrame),
            ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: settings.limits.maxWebSocketMessageBytes)),
            handler,
        ])
        // The HTTP decoder last: it passes what it held on to the frame decoder as it leaves.
        pipeline.removeHandler(try pipeline.handler(type: HTTPConnectionHandler.self), promise: nil)
        pipeline.removeHandler(try pipeline.handler(type: HTTPResponseEncoder.self), promise: nil)
        pipeline.removeHandler(try pipeline.handler(type: ConnectionGuard.self), promise: nil)
        pipeline.removeHandler(try pipeline.handler(type: ByteToMessageHandler<UpgradableRequestDecoder>.self), promise: nil)
        if stopping {
            // Only now: a frame written earlier would have met the HTTP encoder on its way out.
            handler.stop()
        }
        channel.read()
        return handler.socket
    }
}
