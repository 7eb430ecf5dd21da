// Hello over raw swift-nio-http2 (and NIOHTTP1 for HTTP/1.1 over TLS), in cleartext or TLS.
//
//     NIOHTTP2Hello PORT tls CERTIFICATE KEY    # HTTP/2 and HTTP/1.1 by ALPN
//     NIOHTTP2Hello PORT h2c                    # cleartext HTTP/2 by prior knowledge

import HelloHandlers
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import NIOTLS

func configureHTTP2(_ channel: any Channel) throws {
    _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
        mode: .server, connectionConfiguration: .init(), streamConfiguration: .init()
    ) { stream in
        stream.eventLoop.makeCompletedFuture { try stream.pipeline.syncOperations.addHandler(StreamHello()) }
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
let port = arguments.first.flatMap { Int($0) } ?? 8443
var tlsContext: NIOSSLContext?
if arguments.count >= 4, arguments[1] == "tls" {
    var tls = TLSConfiguration.makeServerConfiguration(
        certificateChain: try NIOSSLCertificate.fromPEMFile(arguments[2]).map { .certificate($0) },
        privateKey: .privateKey(try NIOSSLPrivateKey(file: arguments[3], format: .pem))
    )
    tls.applicationProtocols = ["h2", "http/1.1"]
    tlsContext = try NIOSSLContext(configuration: tls)
}
let context = tlsContext
let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
    .serverChannelOption(.backlog, value: 512)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
    .childChannelOption(.maxMessagesPerRead, value: 16)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            guard let context else { return try configureHTTP2(channel) }
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
            try channel.pipeline.syncOperations.addHandler(
                ApplicationProtocolNegotiationHandler { result, channel in
                    channel.eventLoop.makeCompletedFuture {
                        if case .negotiated("h2") = result {
                            try configureHTTP2(channel)
                        } else {
                            try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                            try channel.pipeline.syncOperations.addHandler(HTTP1Hello())
                        }
                    }
                })
        }
    }
    .bind(host: "127.0.0.1", port: port)
    .wait()
try channel.closeFuture.wait()
