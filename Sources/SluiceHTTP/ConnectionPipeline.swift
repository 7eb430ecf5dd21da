// The handlers of one connection, in order.

import NIOCore
import NIOHTTP1

/// Sets up a connection's pipeline: the ``ConnectionGuard`` on raw bytes, NIO's HTTP/1 codec,
/// then the ``HTTPConnectionHandler``, which does the pipelining and error answers that NIO's
/// `HTTPServerPipelineHandler` and `HTTPServerProtocolErrorHandler` would (see
/// ``ConnectionStateMachine`` for why they are not used).
enum ConnectionPipeline {
    static func configure(
        _ channel: any Channel, application: FollowingLocalRedirects, settings: ConnectionSettings, executor: EventLoopTaskExecutor,
        connection: ConnectionFacts
    ) throws {
        let pipeline = channel.pipeline.syncOperations
        let connectionGuard = ConnectionGuard(
            timeouts: settings.timeouts, maxHeadBytes: settings.limits.maxHeadBlockBytes, logger: settings.logger,
            observer: settings.observer
        )
        var encoder = HTTPResponseEncoder.Configuration()
        encoder.automaticallySetFramingHeaders = false
        try pipeline.addHandlers([
            connectionGuard,
            HTTPResponseEncoder(configuration: encoder),
            // After an upgrade the decoder's leftover bytes belong to the new protocol (WebSocketPipeline).
            ByteToMessageHandler(UpgradableRequestDecoder()),
            HTTPConnectionHandler(
                application: application, settings: settings, executor: executor, connection: connection, connectionGuard: connectionGuard
            ),
        ])
    }
}
