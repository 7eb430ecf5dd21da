// Answering requests NIO's parser rejects.

import NIOCore
import NIOHTTP1

/// Answers a request the HTTP decoder could not parse with 400 (431 when its head overflowed
/// the decoder's limits) and `Connection: close`, unless a response is already under way;
/// the decoder closes the connection right after (Spec HTTP-3, ERR-3).
///
/// It stands between the decoder and NIO's pipelining handler, so that its answer does not
/// pass through the pipelining handler: that handler traps on writes after a graceful
/// shutdown closed the connection, which is when a half-received request fails to parse.
final class ParserErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var responseInProgress = false
    private var isActive = true

    func channelInactive(context: ChannelHandlerContext) {
        isActive = false
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parserError = error as? HTTPParserError, !responseInProgress, isActive {
            let status: HTTPResponseStatus = parserError == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
            let text = "\(status.code) \(status.reasonPhrase)\n"
            let headers = HTTPHeaders([
                ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", String(text.utf8.count)),
                ("Connection", "close"), ("Date", HTTPDate.now()),
            ])
            responseInProgress = true
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case let .head(head) where head.status.code >= 200: responseInProgress = true
        case .end: responseInProgress = false
        case .head, .body: break
        }
        context.write(data, promise: promise)
    }
}
