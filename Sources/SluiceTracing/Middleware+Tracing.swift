// A span per request through swift-distributed-tracing, continuing the caller's trace.

public import Sluice
public import Tracing

#if !Tracing
#error("SluiceTracing needs the package trait Tracing (on by default): depend on Sluice with traits: [\"Tracing\"]")
#endif

extension Middleware {
    /// Starts a server span for each request and ends it when the request completes — after
    /// a streamed body's last byte, or when the client went away (Spec LIFE-3).
    ///
    /// The tracer's propagation reads the caller's context from the request's fields: with
    /// swift-otel's W3C propagator, a `traceparent` (and `tracestate`) makes the span a child
    /// of the caller's. The span carries OpenTelemetry's HTTP server attributes; a 5xx status,
    /// an error the application threw or a response that ended early sets its status to
    /// error and records the error. The application runs with the span's context as
    /// `ServiceContext.current`, so spans it starts are children of this one.
    ///
    /// - Parameter tracer: Where spans go; by default the one `InstrumentationSystem.bootstrap`
    ///   installed.
    public static func tracing(_ tracer: any Tracer = InstrumentationSystem.tracer) -> Middleware {
        tracing(with: tracer)
    }

    private static func tracing<T: Tracer>(with tracer: T) -> Middleware {
        Middleware { request, next in
            var context = ServiceContext.current ?? .topLevel
            tracer.extract(request.headers, into: &context, using: HeadersExtractor())
            let span = tracer.startSpan(request.method.rawValue, context: context, ofKind: .server)
            span.attributes = RequestSpanAttributes.attributes(of: request)
            request.onCompletion { completion in
                RequestSpanAttributes.record(completion, on: span)
                span.end()
            }
            return try await ServiceContext.withValue(span.context) {
                try await next.respond(to: request)
            }
        }
    }
}

/// Reads propagation fields from a request's header fields, case-insensitively.
struct HeadersExtractor: Extractor {
    func extract(key: String, from carrier: Headers) -> String? {
        carrier[key]
    }
}
