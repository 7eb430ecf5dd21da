// Waits for a TLS connection's handshake, then sets up the protocol ALPN chose.

import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// Follows NIOSSL in a TLS connection's pipeline until the handshake is over: then it reads the
/// connection's TLS facts, hands them with the protocol ALPN chose (`h2`, or HTTP/1.1 for
/// `http/1.1` and for clients that offer no ALPN) to `negotiated`, which sets up the rest of the
/// pipeline, and removes itself.
///
/// A handshake that fails — a client that offers no version or suite in common, shows an
/// untrusted, expired or no certificate where one is required, or sends bytes that are not
/// TLS — or that is not over within the request-head timeout (a slow-loris handshake) is logged
/// and the connection closed (Spec HTTP-10); the server serves on. So is a client that offered
/// ALPN protocols, none of them `h2` or `http/1.1`: NIOSSL completes such a handshake without
/// one (it cannot send RFC 7301's `no_application_protocol` alert), and the connection is closed
/// then, before it is served a protocol it did not ask for.
final class TLSHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let observer: TLSHelloObserver
    private let timeout: Duration
    private let logger: Logger
    private let negotiated: (any Channel, ConnectionSetup.HTTPProtocol, TLSFacts) throws -> Void
    private var timer: Scheduled<Void>?
    private var isOver = false

    init(
        observer: TLSHelloObserver, timeout: Duration, logger: Logger,
        negotiated: @escaping (any Channel, ConnectionSetup.HTTPProtocol, TLSFacts) throws -> Void
    ) {
        self.observer = observer
        self.timeout = timeout
        self.logger = logger
        self.negotiated = negotiated
    }

    func handlerAdded(context: ChannelHandlerContext) {
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
            fail(context, reason: "not complete after \(timeout)")
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case let .handshakeCompleted(negotiatedProtocol)? = event as? TLSUserEvent, !isOver else {
            return context.fireUserInboundEventTriggered(event)
        }
        if negotiatedProtocol == nil, let offered = observer.offer.applicationProtocols, !offered.isEmpty {
            return fail(context, reason: "no application protocol in common; the client offered \(offered.joined(separator: ", "))")
        }
        isOver = true
        timer?.cancel()
        let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
        let facts = TLSFacts(
            version: handler?.tlsVersion, cipherSuite: observer.cipherSuite, serverName: observer.offer.serverName,
            clientCertificate: handler?.peerCertificate
        )
        do {
            try negotiated(context.channel, negotiatedProtocol == "h2" ? .http2 : .http1, facts)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        } catch {
            fail(context, reason: "setting up the connection failed: \(error)")
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !isOver else { return context.fireErrorCaught(error) }
        fail(context, reason: "\(error)")
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !isOver {
            isOver = true
            logger.debug("TLS connection closed before its handshake ended", metadata: peer(context))
        }
        context.fireChannelInactive()
    }

    private func fail(_ context: ChannelHandlerContext, reason: String) {
        guard !isOver else { return }
        isOver = true
        var details = peer(context)
        details["reason"] = "\(reason)"
        logger.notice("TLS handshake failed", metadata: details)
        context.close(promise: nil)
    }

    private func peer(_ context: ChannelHandlerContext) -> Logger.Metadata {
        ["peer": "\(context.channel.remoteAddress?.ipAddress ?? "")"]
    }
}
