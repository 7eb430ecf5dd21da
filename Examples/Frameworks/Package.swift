// swift-tools-version: 6.1
// The OpenAPI and Hummingbird examples and every test that needs their frameworks: a package
// of its own, so that building Sluice never builds Hummingbird or the OpenAPI generator.
// Scripts/test builds and tests it after the root package (Docs/openapi.md, Docs/hummingbird.md).
import Foundation
import PackageDescription

/// Sluice is this repository's root, two folders up. A path dependency's identity is the name of
/// its folder — `sluice`, `main`, or whatever a clone is called — so it is read, not assumed.
let sluiceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let sluice = sluiceRoot.lastPathComponent

/// The settings of every Sluice target.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "sluice-frameworks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: sluiceRoot.path, traits: ["OpenAPI", "Hummingbird"]),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The todo list API: types and server stubs generated at build time from openapi.yaml.
        .target(
            name: "TodoAPI",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            path: "OpenAPI/TodoAPI",
            swiftSettings: strict,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        // `todos`: the API served through serve(app) on SluiceTransport.
        .executableTarget(
            name: "Todos",
            dependencies: [
                "TodoAPI",
                .product(name: "SluiceOpenAPI", package: sluice),
                .product(name: "SluiceServe", package: sluice),
            ],
            path: "OpenAPI/Server",
            swiftSettings: strict
        ),
        // The bookshop: a Hummingbird router of the tutorial's shape.
        .target(
            name: "Bookshop",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Hummingbird/Bookshop",
            swiftSettings: strict
        ),
        // `bookshop`: the router served through serve(app) on HummingbirdApp.
        .executableTarget(
            name: "BookshopServer",
            dependencies: [
                "Bookshop",
                .product(name: "SluiceHummingbird", package: sluice),
                .product(name: "SluiceServe", package: sluice),
            ],
            path: "Hummingbird/Server",
            swiftSettings: strict
        ),
        // The same router on Hummingbird's own server, for Benchmarks/Hummingbird/run.sh.
        .executableTarget(
            name: "BookshopOnHummingbird",
            dependencies: ["Bookshop", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Hummingbird/OnHummingbird",
            swiftSettings: strict
        ),

        // Sluice's integration-test harness (a link to Tests/IntegrationSupport, not a copy).
        .target(name: "IntegrationSupport", path: "Tests/IntegrationSupport", swiftSettings: strict),
        // What the tests below share: failing request bodies, signals from handlers.
        .target(
            name: "FrameworkTestSupport",
            dependencies: [.product(name: "Sluice", package: sluice)],
            path: "Tests/FrameworkTestSupport",
            swiftSettings: strict
        ),

        .testTarget(
            name: "SluiceOpenAPITests",
            dependencies: [
                "FrameworkTestSupport",
                .product(name: "SluiceOpenAPI", package: sluice),
                .product(name: "SluiceTesting", package: sluice),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SluiceHummingbirdTests",
            dependencies: [
                "FrameworkTestSupport",
                .product(name: "SluiceHummingbird", package: sluice),
                .product(name: "SluiceTesting", package: sluice),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TodoAPITests",
            dependencies: [
                "TodoAPI", "IntegrationSupport",
                .product(name: "SluiceOpenAPI", package: sluice),
                .product(name: "SluiceTesting", package: sluice),
            ],
            exclude: ["behind-nginx.schemathesis.toml"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BookshopTests",
            dependencies: [
                "Bookshop", "IntegrationSupport",
                .product(name: "SluiceHummingbird", package: sluice),
                .product(name: "SluiceTesting", package: sluice),
            ],
            swiftSettings: strict
        ),
    ]
)
