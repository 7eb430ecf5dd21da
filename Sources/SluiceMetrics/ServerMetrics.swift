// Request and server metrics through swift-metrics: one object, as middleware and as observer.

public import CoreMetrics
public import Sluice
import Synchronization

#if !Metrics
#error("SluiceMetrics needs the package trait Metrics (on by default): depend on Sluice with traits: [\"Metrics\"]")
#endif

/// Counts what a server does through swift-metrics, under names Prometheus understands
/// (Docs/observability.md):
///
/// | metric | kind | dimensions |
/// |---|---|---|
/// | `sluice_requests_total` | counter | `method`, `status` (`2xx`…, `none` when no head went out) |
/// | `sluice_request_duration_seconds` | timer | `method` |
/// | `sluice_requests_in_flight` | meter | |
/// | `sluice_request_body_bytes_total` | counter | |
/// | `sluice_response_body_bytes_total` | counter | |
/// | `sluice_requests_refused_total` | counter | `status` (408, 413, 414, 431, 400 …) |
/// | `sluice_connections_open` | meter (HTTP) | |
/// | `sluice_workers_busy` | meter (FastCGI) | |
///
/// Wrap the application in ``middleware`` for the first five, and hand the object to the
/// adapter as its ``Sluice/ServerObserver`` for the rest:
///
/// ```swift
/// let metrics = ServerMetrics()
/// serve(app.wrapped(by: metrics.middleware), observer: metrics)
/// ```
///
/// `method` is one of the nine methods of RFC 9110 and PATCH, or `other`: a client cannot
/// make the number of series grow.
public final class ServerMetrics: ServerObserver {
    private let factory: any MetricsFactory
    private let prefix: String
    private let inFlight: Meter
    private let bytesIn: Counter
    private let bytesOut: Counter
    private let connections: Meter
    private let workers: Meter
    /// The counters and timers with dimensions, made on first use.
    private let series = Mutex(Series())

    private struct Series {
        /// By method index × status index (``methodLabels``, ``statusLabels``).
        var requests = [Counter?](repeating: nil, count: ServerMetrics.methodLabels.count * ServerMetrics.statusLabels.count)
        /// By method index.
        var durations = [CoreMetrics.Timer?](repeating: nil, count: ServerMetrics.methodLabels.count)
        var refusals: [Int: Counter] = [:]
    }

    /// Metrics named `PREFIX_…` (default `sluice`), made by `factory` (default: the one
    /// `MetricsSystem.bootstrap` installed).
    public init(prefix: String = "sluice", factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        self.prefix = prefix
        inFlight = Meter(label: "\(prefix)_requests_in_flight", factory: factory)
        bytesIn = Counter(label: "\(prefix)_request_body_bytes_total", factory: factory)
        bytesOut = Counter(label: "\(prefix)_response_body_bytes_total", factory: factory)
        connections = Meter(label: "\(prefix)_connections_open", factory: factory)
        workers = Meter(label: "\(prefix)_workers_busy", factory: factory)
    }

    /// Counts each request once it completes — also a body that streamed on after
    /// `respond(to:)` returned, and a client that went away — and the request body bytes the
    /// application read.
    public var middleware: Middleware {
        Middleware { [self] request, next in
            inFlight.increment()
            let method = Self.methodIndex(request.method)
            var request = request
            if !request.body.isKnownEmpty {
                request.body = RequestBody(
                    expectedLength: request.body.expectedLength,
                    source: CountingBodySource(body: request.body, counter: bytesIn)
                )
            }
            request.onCompletion { [self] completion in
                inFlight.decrement()
                requests(method: method, status: Self.statusIndex(completion.status)).increment()
                duration(method: method).recordNanoseconds(Self.nanoseconds(completion.duration))
                if completion.bodyBytesSent > 0 {
                    bytesOut.increment(by: completion.bodyBytesSent)
                }
            }
            return try await next.respond(to: request)
        }
    }

    /// Counts an open connection.
    public func connectionOpened() { connections.increment() }
    /// Counts a connection less.
    public func connectionClosed() { connections.decrement() }
    /// Counts a busy worker.
    public func workerBecameBusy() { workers.increment() }
    /// Counts a busy worker less.
    public func workerBecameIdle() { workers.decrement() }

    /// Counts a request the server refused itself, by its status.
    public func requestRefused(status: Response.Status) {
        let code = status.code
        series.withLock { series in
            if let counter = series.refusals[code] { return counter }
            let counter = Counter(label: "\(prefix)_requests_refused_total", dimensions: [("status", String(code))], factory: factory)
            series.refusals[code] = counter
            return counter
        }.increment()
    }

    /// The counter of requests with the method and status at these indices, made on first use.
    private func requests(method: Int, status: Int) -> Counter {
        series.withLock { series in
            let index = method * Self.statusLabels.count + status
            if let counter = series.requests[index] { return counter }
            let counter = Counter(
                label: "\(prefix)_requests_total", dimensions: [("method", Self.methodLabels[method]), ("status", Self.statusLabels[status])],
                factory: factory
            )
            series.requests[index] = counter
            return counter
        }
    }

    /// The timer of requests with the method at this index, made on first use.
    private func duration(method: Int) -> CoreMetrics.Timer {
        series.withLock { series in
            if let timer = series.durations[method] { return timer }
            let timer = CoreMetrics.Timer(label: "\(prefix)_request_duration_seconds", dimensions: [("method", Self.methodLabels[method])], factory: factory)
            series.durations[method] = timer
            return timer
        }
    }

    /// The methods with a label of their own; every other is `other`.
    private static let knownMethods = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]
    /// The `method` dimension's values, by index.
    private static let methodLabels = knownMethods + ["other"]
    /// The `status` dimension's values, by index: the index of a class is its first digit.
    private static let statusLabels = ["none", "1xx", "2xx", "3xx", "4xx", "5xx"]

    /// The index of `method`'s label: found without hashing, once per request.
    static func methodIndex(_ method: Request.Method) -> Int {
        knownMethods.firstIndex(of: method.rawValue) ?? knownMethods.count
    }

    /// The index of `status`'s label.
    static func statusIndex(_ status: Response.Status?) -> Int {
        guard let code = status?.code, (100...599).contains(code) else { return 0 }
        return code / 100
    }

    /// The method, or `other` for one outside the known few.
    static func methodLabel(_ method: Request.Method) -> String {
        methodLabels[methodIndex(method)]
    }

    /// `1xx` to `5xx`, or `none` when no head was sent.
    static func statusLabel(_ status: Response.Status?) -> String {
        statusLabels[statusIndex(status)]
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
