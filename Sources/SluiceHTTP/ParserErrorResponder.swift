// Answering requests NIO's parser rejects.

import NIOCore
import NIOHTTP1

/// Answers a request the HTTP decoder could not parse with 400 (431 when its head overflowed
/// the decoder's limits, 505 when its HTTP version is neither 1.0 nor 1.1: llhttp rejects
/// `HTTP/1.2` or `HTTP/3.0` before ``check(_:limits:)`` sees the head) and `Connection: close`,
/// unless a response is already under way; the decoder closes the connection right after (Spec
/// HTTP-3, ERR-3).
///
/// It stands between the decoder and NIO's pipelining handler, so that its answer does not
/// pass through the pipelining handler: that handler traps on writes after a graceful
/// shutdown closed the connection, which is when a half-received request fails to parse.
/// Whether a response is under way it asks the exchange handler, which writes them, rather
/// than watching every write go by.
final class ParserErrorResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let connectionGuard: ConnectionGuard
    private let exchangeHandler: HTTPExchangeHandler
    private var isActive = true

    init(connectionGuard: ConnectionGuard, exchangeHandler: HTTPExchangeHandler) {
        self.connectionGuard = connectionGuard
        self.exchangeHandler = exchangeHandler
    }

    func channelInactive(context: ChannelHandlerContext) {
        isActive = false
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parserError = error as? HTTPParserError, !exchangeHandler.isResponseInProgress, isActive {
            let status = Self.status(for: parserError, parsing: connectionGuard.bytesBeingParsed)
            let text = "\(status.code) \(status.reasonPhrase)\n"
            let headers = HTTPHeaders([
                ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", String(text.utf8.count)),
                ("Connection", "close"), ("Date", HTTPDate.now()),
            ])
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        context.fireErrorCaught(error)
    }

    /// The status that answers `error` (Spec ERR-3), given the bytes the decoder was parsing
    /// when it failed, if known.
    static func status(for error: HTTPParserError, parsing bytes: UnsafeRawBufferPointer?) -> HTTPResponseStatus {
        switch error {
        case .headerOverflow: .requestHeaderFieldsTooLarge
        case .invalidVersion where !endsSupportedVersionBadly(bytes): .httpVersionNotSupported
        default: .badRequest
        }
    }

    /// Whether `bytes` hold `HTTP/1.0` or `HTTP/1.1` followed by anything but CR LF. llhttp
    /// reports that line ending (a bare LF, Spec HTTP-3) as an invalid version too, but the
    /// version itself was fine: malformed framing, 400.
    private static func endsSupportedVersionBadly(_ bytes: UnsafeRawBufferPointer?) -> Bool {
        guard let bytes else { return false }
        let versions = [Array("HTTP/1.0".utf8), Array("HTTP/1.1".utf8)]
        for start in bytes.indices {
            let rest = bytes[start...]
            guard versions.contains(where: { rest.starts(with: $0) }) else { continue }
            let after = rest.dropFirst(8).prefix(2)
            // A read may end inside the line ending: only bytes seen count against it.
            if !after.elementsEqual([13, 10].prefix(after.count)) { return true }
        }
        return false
    }
}
