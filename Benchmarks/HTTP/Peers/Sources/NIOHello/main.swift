// Hello over raw NIOHTTP1: the fastest a SwiftNIO HTTP/1 server answers, for comparison.
//
//     NIOHello PORT

import NIOCore
import NIOHTTP1
import NIOPosix

final class HelloHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var keepAlive = true
    private var path = ""

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            keepAlive = head.isKeepAlive
            path = String(head.uri.prefix { $0 != "?" })
        case .body:
            break
        case .end:
            let body = context.channel.allocator.buffer(string: "Hello from \(path)\n")
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            headers.add(name: "Content-Length", value: String(body.readableBytes))
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                done.whenComplete { [context] _ in context.close(promise: nil) }
            }
        }
    }
}

let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 8080
let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
    .serverChannelOption(.backlog, value: 512)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
    .childChannelOption(.maxMessagesPerRead, value: 16)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
            try channel.pipeline.syncOperations.addHandler(HelloHandler())
        }
    }
    .bind(host: "127.0.0.1", port: port)
    .wait()
try channel.closeFuture.wait()
