// The handlers of an HTTP/2 connection and of each of its streams.

import NIOCore
import NIOHTTP2

/// Sets up an HTTP/2 connection (Spec H2-6, H2-7): NIOHTTP2's handler with its inline stream
/// multiplexer and its DoS heuristics, then NIOHTTP2's server connection manager, which closes a
/// connection idle (no open stream) for the idle timeout and, on a graceful stop, sends GOAWAY,
/// lets the open streams finish and closes. Each stream the client opens gets an
/// ``HTTP2StreamCodec`` and an ``HTTPConnectionHandler`` of its own: one exchange, run through
/// the same state machines, request mapping and gateway as an HTTP/1 request.
enum HTTP2Pipeline {
    /// The window the server grants the whole connection for request bodies: every stream's
    /// own window (64 KiB, the bound on what one request buffers, Spec BODY-2) times 16.
    static var connectionWindow: Int { 16 * 65535 }

    static func configure(_ channel: any Channel, setup: ConnectionSetup, connection: ConnectionFacts) throws {
        let settings = setup.settings
        let manager = NIOHTTP2ServerConnectionManagementHandler(
            eventLoop: channel.eventLoop,
            configuration: .init(maxIdleTime: TimeAmount(settings.timeouts.idle), maxAge: nil, maxGraceTime: nil, keepalive: nil)
        )
        var connectionConfiguration = NIOHTTP2Handler.ConnectionConfiguration()
        connectionConfiguration.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: setup.http2.maxConcurrentStreams),
            HTTP2Setting(parameter: .maxHeaderListSize, value: settings.limits.maxHeaderListSize),
            HTTP2Setting(parameter: .initialWindowSize, value: 65535),
        ]
        connectionConfiguration.targetWindowSize = Self.connectionWindow
        let executor = setup.executors.executor(for: channel.eventLoop)
        let application = setup.application
        _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
            mode: .server, connectionConfiguration: connectionConfiguration, streamConfiguration: .init(),
            streamDelegate: manager.http2StreamDelegate
        ) { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandlers([
                    HTTP2StreamCodec(writeTimeout: settings.timeouts.responseWrite),
                    HTTPConnectionHandler(
                        application: application, settings: settings, executor: executor, connection: connection, connectionGuard: nil
                    ),
                ])
            }
        }
        try channel.pipeline.syncOperations.addHandler(manager)
    }
}

extension HTTPServerConfiguration.Limits {
    /// `SETTINGS_MAX_HEADER_LIST_SIZE`: the header limits as HTTP/2 counts a header list — names
    /// and values plus 32 bytes a field (RFC 9113 §6.5.2), pseudo-header fields and the target
    /// included. A larger list ends the connection; a smaller one over the limits gets 431 or
    /// 414 on its stream.
    var maxHeaderListSize: Int {
        maxHeaderBytes + maxTargetBytes + 32 * (maxHeaderCount + 5) + 64
    }
}
