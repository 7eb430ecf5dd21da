// swift-tools-version: 6.1
// The peers Benchmarks/HTTP/run.sh, run-http2.sh and run-websocket.sh measure Sluice against. A
// package of its own, so that Hummingbird and its dependencies build only when a benchmark runs,
// never in CI.
import PackageDescription

let package = Package(
    name: "HTTPPeers",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.36.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.0.0"),
    ],
    targets: [
        // The raw NIO hello's handlers: HTTP/1 on NIOHTTP1, HTTP/2 streams on NIOHTTP2's frames.
        .target(
            name: "HelloHandlers",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            ]
        ),
        // The limit for a NIO server: a NIOHTTP1 handler answering on the event loop.
        .executableTarget(
            name: "NIOHello",
            dependencies: [
                "HelloHandlers",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The limit over HTTP/2 and TLS: frames answered on the event loop; HTTP/1.1 when ALPN
        // chooses it.
        .executableTarget(
            name: "NIOHTTP2Hello",
            dependencies: [
                "HelloHandlers",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            ]
        ),
        // The main peer: Hummingbird 2 with one route.
        .executableTarget(
            name: "HummingbirdHello",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        ),
        // The main peer over HTTP/2 and TLS: Hummingbird 2's HTTP/2 server (HummingbirdHTTP2).
        .executableTarget(
            name: "HummingbirdHTTP2Hello",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
            ]
        ),
        // The WebSocket peer: an echo on hummingbird-websocket.
        .executableTarget(
            name: "HummingbirdWebSocketEcho",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ]
        ),
    ]
)
