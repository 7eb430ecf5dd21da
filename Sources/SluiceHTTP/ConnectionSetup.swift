// How each accepted connection becomes an HTTP/1.1 or HTTP/2 connection, in cleartext or TLS.

import Logging
import NIOCore
import NIOSSL

/// Everything a server needs to set up the connections it accepts, made once per server: the
/// first handlers of each connection choose its protocol — TLS's ALPN (``TLSHandshakeHandler``),
/// HTTP/2's preface on a cleartext port that offers it (``CleartextHTTP2Detector``), or plain
/// HTTP/1.1 at once — and then ``ConnectionPipeline`` or ``HTTP2Pipeline`` set up the rest.
struct ConnectionSetup: Sendable {
    /// The protocols a connection can speak.
    enum HTTPProtocol {
        case http1
        case http2
    }

    let application: FollowingLocalRedirects
    let settings: ConnectionSettings
    let executors: TaskExecutors
    let registry: ConnectionRegistry
    let http2: HTTPServerConfiguration.HTTP2
    /// The TLS context for new connections; `nil` serves cleartext.
    let tls: TLSContextSource?

    /// Sets up a connection just accepted.
    func configureAccepted(_ channel: any Channel) throws {
        let pipeline = channel.pipeline.syncOperations
        if let tls {
            let observer = TLSHelloObserver(logger: settings.logger)
            try pipeline.addHandlers([
                observer,
                NIOSSLServerHandler(context: tls.current),
                TLSHandshakeHandler(observer: observer, timeout: settings.timeouts.requestHead, logger: settings.logger) { channel, chosen, facts in
                    try configure(channel, speaking: chosen, connection: ConnectionFacts(addresses: ConnectionAddresses(channel: channel), tls: facts))
                },
            ])
        } else if http2.cleartext {
            try pipeline.addHandler(
                CleartextHTTP2Detector(idleTimeout: settings.timeouts.idle) { channel, chosen in
                    try configure(channel, speaking: chosen, connection: ConnectionFacts(addresses: ConnectionAddresses(channel: channel), tls: nil))
                })
        } else {
            try configure(channel, speaking: .http1, connection: ConnectionFacts(addresses: ConnectionAddresses(channel: channel), tls: nil))
        }
    }

    /// Sets up the handlers of `chosen` after those that chose it; a graceful stop that began
    /// meanwhile reaches them at once.
    private func configure(_ channel: any Channel, speaking chosen: HTTPProtocol, connection: ConnectionFacts) throws {
        switch chosen {
        case .http1:
            try ConnectionPipeline.configure(
                channel, application: application, settings: settings, executor: executors.executor(for: channel.eventLoop),
                connection: connection
            )
        case .http2:
            try HTTP2Pipeline.configure(channel, setup: self, connection: connection)
        }
        registry.configured(channel)
    }
}
