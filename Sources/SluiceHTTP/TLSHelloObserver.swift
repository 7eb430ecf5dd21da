// The first handler of a TLS connection: it reads the hellos as they pass, and answers a
// client that speaks plain HTTP to the TLS port.

import Logging
import NIOCore

/// Watches the cleartext start of a TLS connection, below NIOSSL: the ClientHello for the name
/// the client asked for and the protocols it offered, the ServerHello for the cipher suite chosen (``TLSHello``). Once the
/// ServerHello went out it removes itself, and bytes pass from the socket to NIOSSL directly.
///
/// A connection whose first byte is a capital letter is a plain HTTP request sent to the TLS
/// port: it gets a cleartext 400 saying so, as nginx and Go's net/http answer it, and is closed
/// (Spec HTTP-10); any other bytes that are not TLS fail in NIOSSL's handshake.
final class TLSHelloObserver: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The most bytes kept of either hello: a TLS record holds at most 16 KiB.
    private static let helloLimit = 16 * 1024 + 5

    private let logger: Logger
    private var clientHello: [UInt8]? = []
    /// Plain HTTP arrived: what follows is read and dropped until the connection closes.
    private var refused = false
    /// Both hellos are read: the handler is on its way out of the pipeline.
    private var isLeaving = false
    private var serverHello: [UInt8]? = []
    /// What the ClientHello offered: the name it asked for (`SSL_TLS_SNI`) and its ALPN
    /// protocols, once read.
    private(set) var offer = TLSHello.ClientOffer()
    /// The cipher suite the ServerHello chose, once read.
    private(set) var cipherSuite: UInt16?

    init(logger: Logger) {
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let bytes = unwrapInboundIn(data)
        if var hello = clientHello {
            if hello.isEmpty, let first = bytes.readableBytesView.first, first != TLSHello.handshakeRecord {
                clientHello = nil
                if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) { return refusePlainHTTP(context) }
            } else {
                hello.append(contentsOf: bytes.readableBytesView.prefix(Self.helloLimit - hello.count))
                let (offer, complete) = TLSHello.offer(inClientHello: hello)
                self.offer = offer
                clientHello = complete || hello.count >= Self.helloLimit ? nil : hello
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if var hello = serverHello {
            hello.append(contentsOf: unwrapOutboundIn(data).readableBytesView.prefix(Self.helloLimit - hello.count))
            cipherSuite = TLSHello.cipherSuite(inServerHello: hello)
            serverHello = cipherSuite != nil || hello.count >= Self.helloLimit ? nil : hello
        }
        context.write(data, promise: promise)
        if serverHello == nil, clientHello == nil, !isLeaving {
            // In a later turn of the loop: NIOSSL is in the middle of a write and its flush.
            isLeaving = true
            context.eventLoop.assumeIsolated().execute {
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            }
        }
    }

    private func refusePlainHTTP(_ context: ChannelHandlerContext) {
        logger.notice(
            "rejected a request",
            metadata: [
                "status": "400", "reason": "plain HTTP sent to the TLS port", "peer": "\(context.channel.remoteAddress?.ipAddress ?? "")",
            ])
        let text = "Client sent an HTTP request to an HTTPS server.\n"
        let response =
            "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: \(text.utf8.count)\r\nDate: \(HTTPDate.now())\r\n\r\n\(text)"
        refused = true
        // Below NIOSSL: written straight to the socket, in the clear. The rest of the request is
        // read and dropped for a moment, so that the kernel does not reset the connection under
        // the answer.
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: response)), promise: nil)
        context.close(mode: .output, promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(1)) {
            context.close(promise: nil)
        }
    }
}
