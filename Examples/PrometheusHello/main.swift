// The README's hello with metrics, exported for Prometheus on a separate address.
//
//     swift run PrometheusHello --http 127.0.0.1:8080     # the application
//     curl -s http://127.0.0.1:9464/metrics               # its metrics (SLUICE_METRICS_PORT)
//
// The exporter is a second HTTP server on 127.0.0.1, started by the application's start-up:
// it answers whatever the adapter serving the application is, and stays off the address
// clients reach. Run one process (no --processes N): each process would count on its own.

import CoreMetrics
import Logging
import Prometheus
import Sluice
import SluiceHTTP
import SluiceMetrics
import SluiceServe

#if !Metrics
#error("PrometheusHello needs the package trait Metrics (on by default)")
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

let registry = PrometheusCollectorRegistry()
MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
let metrics = ServerMetrics()

let port = getenv("SLUICE_METRICS_PORT").flatMap { Int(String(cString: $0)) } ?? 9464
let exporter = HTTPServer(
    application: App { _ in
        Response(headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: .init(bytes: registry.emitToBuffer()))
    },
    configuration: HTTPServerConfiguration(address: .tcp(host: "127.0.0.1", port: port)),
    logger: Logger(label: "sluice.metrics")
)

let hello = App(startup: {
    Task {
        do {
            try await exporter.run()
        } catch {
            Logger(label: "sluice.metrics").error("the metrics exporter stopped", metadata: ["error": "\(error)"])
        }
    }
}) { request in
    .text("Hello from \(request.path)\n")
}

serve(hello.wrapped(by: metrics.middleware), observer: metrics)
