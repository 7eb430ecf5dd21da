// swift-tools-version: 6.1
// The peers Benchmarks/HTTP/run.sh measures Sluice against. A package of its own, so that
// Hummingbird and its dependencies build only when the benchmark runs, never in CI.
import PackageDescription

let package = Package(
    name: "HTTPPeers",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    ],
    targets: [
        // The limit for a NIO server: a NIOHTTP1 handler answering on the event loop.
        .executableTarget(
            name: "NIOHello",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The main peer: Hummingbird 2 with one route.
        .executableTarget(
            name: "HummingbirdHello",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        ),
    ]
)
