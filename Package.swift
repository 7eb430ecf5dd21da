// swift-tools-version: 6.1
import PackageDescription

/// Settings every Sluice target shares: Swift 6 mode is the package default; warnings stay errors-in-spirit.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Sluice", targets: ["Sluice"]),
        .library(name: "SluiceGateway", targets: ["SluiceGateway"]),
        .library(name: "SluiceCGIWire", targets: ["SluiceCGIWire"]),
        .library(name: "SluiceHTTPTypes", targets: ["SluiceHTTPTypes"]),
        .library(name: "SluiceTesting", targets: ["SluiceTesting"]),
        .library(name: "SluiceCGI", targets: ["SluiceCGI"]),
        .library(name: "SluiceHTTP", targets: ["SluiceHTTP"]),
        .library(name: "SluiceFastCGI", targets: ["SluiceFastCGI"]),
        .library(name: "SluiceProbe", targets: ["SluiceProbe"]),
        .executable(name: "probe", targets: ["Probe"]),
        .executable(name: "notes", targets: ["Notes"]),
        .library(name: "SluiceServe", targets: ["SluiceServe"]),
        .executable(name: "hello", targets: ["Hello"]),
        .executable(name: "echo", targets: ["Echo"]),
        .executable(name: "chat", targets: ["Chat"]),
        .executable(name: "sluice-dev", targets: ["SluiceDev"]),
        .library(name: "SluiceConformance", targets: ["SluiceConformance"]),
        .library(name: "SluiceToolkit", targets: ["SluiceToolkit"]),
        .library(name: "SluiceJSON", targets: ["SluiceJSON"]),
        .library(name: "SluiceSessions", targets: ["SluiceSessions"]),
        .executable(name: "sluice-conformance", targets: ["SluiceConformanceTool"]),
        .library(name: "SluiceMiddleware", targets: ["SluiceMiddleware"]),
        .library(name: "SluiceMetrics", targets: ["SluiceMetrics"]),
        .library(name: "SluiceTracing", targets: ["SluiceTracing"]),
        // Bridges from other frameworks (Docs/openapi.md, Docs/hummingbird.md). Each builds
        // its framework only with its trait enabled, so the products above never fetch them.
        .library(name: "SluiceBridging", targets: ["SluiceBridging"]),
        .library(name: "SluiceOpenAPI", targets: ["SluiceOpenAPI"]),
        .library(name: "SluiceHummingbird", targets: ["SluiceHummingbird"]),
    ],
    traits: [
        .default(enabledTraits: ["Sessions", "Metrics", "Tracing"]),
        // swift-crypto is resolved only with this trait: a package that uses no sessions can
        // depend on Sluice with `traits: []` and never fetch it (Docs/toolkit.md).
        .trait(name: "Sessions", description: "SluiceSessions: signed session cookies (HMAC-SHA256 from swift-crypto)."),
        // swift-metrics (and swift-prometheus, for its example) and swift-distributed-tracing are
        // resolved only with these traits (Docs/observability.md).
        .trait(name: "Metrics", description: "SluiceMetrics: request and server metrics through swift-metrics."),
        .trait(name: "Tracing", description: "SluiceTracing: a span per request through swift-distributed-tracing."),
        .trait(name: "OpenAPI", description: "Builds SluiceOpenAPI, a ServerTransport for swift-openapi-runtime."),
        .trait(name: "Hummingbird", description: "Builds SluiceHummingbird, which runs Hummingbird 2 responders."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.36.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.2.0"),
        // Resolved only with the OpenAPI or Hummingbird trait enabled.
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.10.0"),
    ],
    targets: [
        // The protocol. No dependencies, not even Foundation or the C library: vendorable by copying the folder.
        .target(name: "Sluice", swiftSettings: strict),
        // The server side of the protocol, for adapters and test clients, not applications: the
        // driver every adapter calls (Gateway.respond), answers to refused requests, the head of
        // an HTTP request mapped to a Request. No dependencies beyond the core.
        .target(name: "SluiceGateway", dependencies: ["Sluice"], swiftSettings: strict),
        // The CGI/FastCGI wire mapping SluiceCGI and SluiceFastCGI share: meta-variables to a
        // Request, the CGI response head. No dependencies beyond the core and the gateway, so a
        // vendored CGI program still needs no package.
        .target(name: "SluiceCGIWire", dependencies: ["Sluice", "SluiceGateway"], swiftSettings: strict),
        // Lossless conversion to and from apple/swift-http-types.
        .target(
            name: "SluiceHTTPTypes",
            dependencies: ["Sluice", "SluiceGateway", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: strict
        ),
        // What every bridge from another framework's handlers shares: the head below the
        // mount, bodies both ways as streams.
        .target(
            name: "SluiceBridging",
            dependencies: ["Sluice", "SluiceHTTPTypes", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: strict
        ),
        // A ServerTransport for swift-openapi-runtime that is a Sluice application (trait OpenAPI).
        .target(
            name: "SluiceOpenAPI",
            dependencies: [
                "Sluice", "SluiceBridging", "SluiceHTTPTypes",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime", condition: .when(traits: ["OpenAPI"])),
            ],
            swiftSettings: strict
        ),
        // Hummingbird 2 responders as Sluice applications (trait Hummingbird).
        .target(
            name: "SluiceHummingbird",
            dependencies: [
                "Sluice", "SluiceBridging", "SluiceHTTPTypes",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Hummingbird"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Hummingbird"])),
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["Hummingbird"])),
            ],
            swiftSettings: strict
        ),
        // In-process test client.
        .target(name: "SluiceTesting", dependencies: ["Sluice", "SluiceGateway"], swiftSettings: strict),
        // CGI/1.1 adapter (RFC 3875).
        .target(name: "SluiceCGI", dependencies: ["Sluice", "SluiceGateway", "SluiceCGIWire"], swiftSettings: strict),
        // Standalone HTTP/1.1 and HTTP/2 server on SwiftNIO, with TLS and WebSocket (RFC 6455 on
        // NIOWebSocket). The only target (with SluiceServe above it) that builds swift-nio-ssl
        // and swift-nio-http2.
        .target(
            name: "SluiceHTTP",
            dependencies: [
                "Sluice", "SluiceGateway",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                "SluiceLifecycle", "SluiceSystemd",
            ],
            swiftSettings: strict
        ),
        // The lifecycle both long-running adapters share: a ServiceGroup that stops them
        // gracefully on SIGTERM and SIGINT, a second signal that ends the grace period, and the
        // socket filter that keeps new clients out while a stop empties the accept queue.
        .target(
            name: "SluiceLifecycle",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // sd_notify(3) for both long-running adapters: READY, STOPPING, RELOADING, the watchdog.
        .target(name: "SluiceSystemd", swiftSettings: strict),
        // Linux's epoll, eventfd and timerfd, which the Glibc module leaves out, as a module.
        .systemLibrary(name: "CEventPoll"),
        // FastCGI responder: nginx, Apache mod_proxy_fcgi, lighttpd, Caddy.
        .target(
            name: "SluiceFastCGI",
            dependencies: [
                "Sluice", "SluiceGateway", "SluiceCGIWire", "SluiceLifecycle", "SluiceSystemd",
                // epoll: the responder serves on Linux only (Sources/SluiceFastCGI/Platform.swift).
                .target(name: "CEventPoll", condition: .when(platforms: [.linux])),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // The hello example as a CGI program; Benchmarks/CGI/run.sh times its start-up.
        .executableTarget(name: "CGIHello", dependencies: ["Sluice", "SluiceCGI"], path: "Examples/CGIHello", swiftSettings: strict),
        // The application the three battery programs below serve: one app, three adapters.
        .target(name: "BatteryApp", dependencies: ["Sluice", "SluiceGateway", "SluiceToolkit"], path: "Tests/BatteryApp", swiftSettings: strict),
        // The CGI program SluiceCGITests runs under Apache and lighttpd.
        .executableTarget(name: "CGIBattery", dependencies: ["BatteryApp", "SluiceCGI"], path: "Tests/CGIBattery", swiftSettings: strict),
        // The server SluiceHTTPTests runs as a process (signals, memory, start-up failure).
        .executableTarget(name: "HTTPBattery", dependencies: ["BatteryApp", "SluiceServe"], path: "Tests/HTTPBattery", swiftSettings: strict),
        // The FastCGI responder SluiceFastCGITests runs behind nginx, Apache, lighttpd and Caddy.
        .executableTarget(
            name: "FastCGIBattery", dependencies: ["BatteryApp", "Sluice", "SluiceServe", .product(name: "Logging", package: "swift-log")],
            path: "Tests/FastCGIBattery", swiftSettings: strict),
        // StaticFiles with each hand-off, which SluiceFastCGITests runs behind nginx and lighttpd.
        .executableTarget(name: "FilesServer", dependencies: ["SluiceServe", "SluiceToolkit"], path: "Tests/FilesServer", swiftSettings: strict),

        // The probe: reports what a request looked like to the app; the conformance suite drives it.
        .target(name: "SluiceProbe", dependencies: ["Sluice", "SluiceToolkit"], swiftSettings: strict),
        // The probe served through serve(app): HTTP, CGI or FastCGI (Spec/probe.md).
        .executableTarget(name: "Probe", dependencies: ["SluiceProbe", "SluiceServe"], path: "Examples/Probe", swiftSettings: strict),
        // The application toolkit (Docs/toolkit.md), in three modules split by what they cost to
        // depend on. Forms, multipart, cookies, routing, errors, files: the standard library and
        // the C library only, so a CGI program pays nothing at start-up for them.
        .target(name: "SluiceToolkit", dependencies: ["Sluice"], swiftSettings: strict),
        // JSON bodies in and out, on Foundation's coders (FoundationEssentials where there is one).
        .target(name: "SluiceJSON", dependencies: ["Sluice", "SluiceToolkit"], swiftSettings: strict),
        // Signed session cookies: HMAC-SHA256 from swift-crypto, behind the Sessions trait.
        .target(
            name: "SluiceSessions",
            dependencies: [
                "Sluice", "SluiceToolkit",
                .product(name: "Crypto", package: "swift-crypto", condition: .when(traits: ["Sessions"])),
            ],
            swiftSettings: strict
        ),

        // Debian's SQLite 3 (libsqlite3-dev) as a module, for the notes example.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // The notes example's application: a JSON API over SQLite, built by an app factory.
        .target(
            name: "NotesApp",
            dependencies: ["Sluice", "SluiceToolkit", "SluiceJSON", "SluiceSessions", "CSQLite"],
            path: "Examples/Notes/NotesApp",
            swiftSettings: strict
        ),
        // The notes example served through serve(app).
        .executableTarget(name: "Notes", dependencies: ["NotesApp", "SluiceServe"], path: "Examples/Notes/Server", swiftSettings: strict),

        // Operations middleware on swift-log alone: the access log, request ids, trusted proxies.
        .target(
            name: "SluiceMiddleware",
            dependencies: ["Sluice", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Request and server metrics through swift-metrics, behind the Metrics trait.
        .target(
            name: "SluiceMetrics",
            dependencies: ["Sluice", .product(name: "CoreMetrics", package: "swift-metrics", condition: .when(traits: ["Metrics"]))],
            swiftSettings: strict
        ),
        // A span per request through swift-distributed-tracing, behind the Tracing trait.
        .target(
            name: "SluiceTracing",
            dependencies: ["Sluice", .product(name: "Tracing", package: "swift-distributed-tracing", condition: .when(traits: ["Tracing"]))],
            swiftSettings: strict
        ),
        // The hello app with metrics for Prometheus on a separate address (Docs/observability.md).
        .executableTarget(
            name: "PrometheusHello",
            dependencies: [
                "Sluice", "SluiceServe", "SluiceMetrics", "SluiceHTTP",
                .product(name: "CoreMetrics", package: "swift-metrics", condition: .when(traits: ["Metrics"])),
                .product(name: "Prometheus", package: "swift-prometheus", condition: .when(traits: ["Metrics"])),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/PrometheusHello",
            swiftSettings: strict
        ),

        // One entry point above the adapters: serve(app) runs as CGI, FastCGI or HTTP as started.
        .target(
            name: "SluiceServe",
            dependencies: [
                "Sluice", "SluiceGateway", "SluiceCGI", "SluiceFastCGI", "SluiceHTTP", "SluiceSystemd", "SluiceMiddleware",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The README's hello: one binary for CGI, FastCGI and HTTP through serve(app).
        .executableTarget(name: "Hello", dependencies: ["Sluice", "SluiceServe"], path: "Examples/Hello", swiftSettings: strict),
        // A WebSocket echo through serve(app).
        .executableTarget(name: "Echo", dependencies: ["Sluice", "SluiceServe"], path: "Examples/Echo", swiftSettings: strict),
        // A WebSocket chat room: several clients, every message broadcast.
        .executableTarget(name: "Chat", dependencies: ["Sluice", "SluiceServe"], path: "Examples/Chat", swiftSettings: strict),
        // The dev server: rebuilds and restarts an app on change while holding its listening socket.
        .executableTarget(
            name: "SluiceDev",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),

        // The conformance suite: a catalog of HTTP requests to a server hosting the probe, checked against the Spec.
        .target(name: "SluiceConformance", swiftSettings: strict),
        // sluice-conformance URL: runs the suite from the command line (Docs/conformance-suite.md).
        .executableTarget(
            name: "SluiceConformanceTool",
            dependencies: ["SluiceConformance", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),

        // Helpers for integration tests: start real servers on 127.0.0.1, stop them by pid.
        .target(name: "IntegrationSupport", path: "Tests/IntegrationSupport", swiftSettings: strict),

        // What the tests of the core, the gateway and the CGI wire share: a recording writer, an
        // error log that remembers, generated hostile paths.
        .target(name: "GatewayTestSupport", dependencies: ["Sluice"], path: "Tests/GatewayTestSupport", swiftSettings: strict),
        .testTarget(name: "SluiceTests", dependencies: ["Sluice", "SluiceGateway", "SluiceTesting", "GatewayTestSupport"], swiftSettings: strict),
        .testTarget(name: "SluiceGatewayTests", dependencies: ["Sluice", "SluiceGateway", "GatewayTestSupport"], swiftSettings: strict),
        .testTarget(name: "SluiceCGIWireTests", dependencies: ["Sluice", "SluiceGateway", "SluiceCGIWire", "GatewayTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "SluiceHTTPTypesTests",
            dependencies: ["SluiceHTTPTypes", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: strict
        ),
        .testTarget(name: "SluiceTestingTests", dependencies: ["SluiceTesting"], swiftSettings: strict),
        .testTarget(
            name: "SluiceBridgingTests",
            dependencies: ["SluiceBridging", "SluiceTesting", .product(name: "HTTPTypes", package: "swift-http-types")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SluiceCGITests",
            dependencies: ["SluiceCGI", "SluiceCGIWire", "IntegrationSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SluiceHTTPTests",
            dependencies: [
                "SluiceHTTP", "SluiceGateway", "IntegrationSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The Python scripts the tests run: the differential framing corpus, test certificates,
            // TLS clients, raw HTTP/2 frames and the WebSocket clients.
            exclude: ["Scripts"],
            swiftSettings: strict
        ),
        .testTarget(name: "SluiceProbeTests", dependencies: ["SluiceProbe", "Sluice", "SluiceTesting"], swiftSettings: strict),
        .testTarget(
            name: "SluiceConformanceTests",
            dependencies: [
                "SluiceConformance", "SluiceHTTP", "SluiceProbe", "Sluice",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "NotesTests", dependencies: ["NotesApp", "Sluice", "SluiceTesting"], swiftSettings: strict),
        .testTarget(name: "SluiceToolkitTests", dependencies: ["SluiceToolkit", "Sluice", "SluiceTesting"], swiftSettings: strict),
        .testTarget(name: "SluiceJSONTests", dependencies: ["SluiceJSON", "SluiceToolkit", "Sluice", "SluiceTesting"], swiftSettings: strict),
        .testTarget(
            name: "SluiceSessionsTests",
            dependencies: ["SluiceSessions", "SluiceToolkit", "Sluice", "SluiceTesting"],
            swiftSettings: strict
        ),
        .testTarget(name: "SluiceServeTests", dependencies: ["SluiceServe", "SluiceMiddleware", "SluiceSystemd", "IntegrationSupport"], swiftSettings: strict),
        .testTarget(
            name: "SluiceMiddlewareTests",
            dependencies: ["SluiceMiddleware", "Sluice", "SluiceTesting", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SluiceMetricsTests",
            dependencies: [
                "SluiceMetrics", "Sluice", "SluiceTesting",
                .product(name: "MetricsTestKit", package: "swift-metrics", condition: .when(traits: ["Metrics"])),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SluiceTracingTests",
            dependencies: [
                "SluiceTracing", "Sluice", "SluiceTesting",
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing", condition: .when(traits: ["Tracing"])),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "SluiceDevTests", dependencies: ["IntegrationSupport"], swiftSettings: strict),
        .testTarget(
            name: "SluiceFastCGITests",
            dependencies: ["SluiceFastCGI", "IntegrationSupport"],
            swiftSettings: strict
        ),
        // The conformance suite against the probe behind every front server (Docs/conformance.md).
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["SluiceConformance", "IntegrationSupport"],
            exclude: ["Deviations"],
            swiftSettings: strict
        ),
    ]
)

// With SLUICE_IN_PROCESS_SUITES=1 the package is only the test suites that run everything in
// their own process, and the targets they need: what Scripts/sanitize builds under
// AddressSanitizer and ThreadSanitizer in CI. The suites that start servers and programs as
// processes (which a sanitizer does not instrument) are left out, and with them SwiftNIO,
// BoringSSL and the frameworks, whose sanitized builds would double the time CI takes.
if Context.environment["SLUICE_IN_PROCESS_SUITES"] == "1" {
    let inProcessSuites = [
        "SluiceTests", "SluiceGatewayTests", "SluiceCGIWireTests", "SluiceTestingTests", "SluiceHTTPTypesTests", "SluiceBridgingTests", "SluiceProbeTests",
        "NotesTests", "SluiceToolkitTests", "SluiceJSONTests", "SluiceSessionsTests", "SluiceMiddlewareTests",
        "SluiceMetricsTests", "SluiceTracingTests", "SluiceFastCGITests",
    ]
    var kept = Set<String>()
    var pending = inProcessSuites
    while let name = pending.popLast() {
        guard kept.insert(name).inserted, let target = package.targets.first(where: { $0.name == name }) else { continue }
        for dependency in target.dependencies {
            switch dependency {
            case .targetItem(let name, _), .byNameItem(let name, _): pending.append(name)
            default: break
            }
        }
    }
    package.targets.removeAll { !kept.contains($0.name) }
    package.products = []
}
