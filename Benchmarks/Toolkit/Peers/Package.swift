// swift-tools-version: 6.1
// What Benchmarks/Toolkit/run.sh measures the toolkit against: Hummingbird 2's router and
// JSON, vapor/routing-kit, vapor/multipart-kit. A package of its own, so that none of them
// builds in CI or for users. Sluice is reached through a link that run.sh makes, named
// `sluice` (a path dependency is known by its folder's name).
import PackageDescription

let sluice = Context.environment["SLUICE_CHECKOUT"] ?? "../../../.build-bench-toolkit-peers/sluice"

let package = Package(
    name: "ToolkitPeers",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: sluice),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/vapor/routing-kit", from: "4.9.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.0"),
    ],
    targets: [
        // ns per match among 100 routes: the toolkit's trie, Hummingbird's, routing-kit's.
        .executableTarget(
            name: "RoutingBench",
            dependencies: [
                "BenchApps",
                .product(name: "SluiceToolkit", package: "sluice"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "RoutingKit", package: "routing-kit"),
            ]
        ),
        // The applications compared: a bare hello, the same hello routed by the toolkit, and a
        // JSON echo by the toolkit and by Hummingbird 2 behind Sluice's gateway.
        .target(
            name: "BenchApps",
            dependencies: [
                .product(name: "Sluice", package: "sluice"),
                .product(name: "SluiceToolkit", package: "sluice"),
                .product(name: "SluiceJSON", package: "sluice"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
            ]
        ),
        // CPU per request in one process, through the gateway every adapter runs.
        .executableTarget(
            name: "DispatchBench",
            dependencies: ["BenchApps", .product(name: "Sluice", package: "sluice"), .product(name: "SluiceGateway", package: "sluice")]
        ),
        // The same applications served standalone, for wrk.
        .executableTarget(
            name: "BenchServer",
            dependencies: ["BenchApps", .product(name: "Sluice", package: "sluice"), .product(name: "SluiceServe", package: "sluice")]
        ),
        // MB/s parsing a large multipart upload: the toolkit's parser and multipart-kit's.
        .executableTarget(
            name: "MultipartBench",
            dependencies: [
                .product(name: "SluiceToolkit", package: "sluice"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ]
        ),
        // CGI programs whose start-up run.sh times against CGIHello: each adds one cost.
        .executableTarget(
            name: "CGIToolkitHello", dependencies: [.product(name: "SluiceToolkit", package: "sluice"), .product(name: "SluiceCGI", package: "sluice")]),
        .executableTarget(
            name: "CGIJSONHello",
            dependencies: [
                .product(name: "SluiceJSON", package: "sluice"), .product(name: "SluiceToolkit", package: "sluice"),
                .product(name: "SluiceCGI", package: "sluice"),
            ]),
        .executableTarget(
            name: "CGISessionsHello",
            dependencies: [
                .product(name: "SluiceSessions", package: "sluice"), .product(name: "SluiceToolkit", package: "sluice"),
                .product(name: "SluiceCGI", package: "sluice"),
            ]),
        .executableTarget(
            name: "CGIFoundationHello", dependencies: [.product(name: "Sluice", package: "sluice"), .product(name: "SluiceCGI", package: "sluice")]),
        // The same small API on the toolkit and on Hummingbird 2 (Docs/toolkit-comparison.md).
        .executableTarget(
            name: "CompareToolkit",
            dependencies: [
                .product(name: "SluiceServe", package: "sluice"), .product(name: "SluiceToolkit", package: "sluice"),
                .product(name: "SluiceJSON", package: "sluice"),
            ]
        ),
        .executableTarget(name: "CompareHummingbird", dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),
        .executableTarget(
            name: "CGIMultipartKit", dependencies: [.product(name: "MultipartKit", package: "multipart-kit"), .product(name: "SluiceCGI", package: "sluice")]),
    ]
)
