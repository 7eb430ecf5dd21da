// Hello over raw NIOHTTP1: the fastest a SwiftNIO HTTP/1 server answers, for comparison.
//
//     NIOHello PORT

import HelloHandlers
import NIOCore
import NIOHTTP1
import NIOPosix

let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 8080
let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
    .serverChannelOption(.backlog, value: 512)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
    .childChannelOption(.maxMessagesPerRead, value: 16)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
            try channel.pipeline.syncOperations.addHandler(HTTP1Hello())
        }
    }
    .bind(host: "127.0.0.1", port: port)
    .wait()
try channel.closeFuture.wait()
