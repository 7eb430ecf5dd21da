// The probe: an application that answers every request with what it saw.

public import Sluice

/// An application that reports, as JSON, everything about each request it receives, and
/// behaves as each request's options ask: a status, header fields, a delay, a stream of N
/// bytes with flushes, an echo of the body, trailers, an early hint, a failure. At
/// `/_probe/websocket` it echoes WebSocket messages.
///
/// The conformance suite and the adapters' tests drive it; `Spec/probe.md` specifies its
/// options and its output. Below wherever it is mounted, paths starting `/_probe/` are its
/// own endpoints; every other path gets the report.
///
/// ```swift
/// serve(Probe().app)
/// ```
public struct Probe: Application {
    /// The version of the probe's output format (Spec/probe.md); it grows when members are added.
    public static let formatVersion = 2
    /// The version of the Sluice Spec the probe reports against.
    public static let specVersion = "1.0"

    /// What completion hooks saw for requests that carried an id, shared by copies of the probe.
    public let completions: CompletionLog
    private let failsStartup: Bool
    private let shutdownMarker: String?

    /// Creates a probe.
    ///
    /// - Parameters:
    ///   - failsStartup: Make ``startup()`` throw, to test how a server reports it (Spec LIFE-1).
    ///   - shutdownMarker: A file ``shutdown()`` creates, to show that it ran (Spec LIFE-2).
    public init(failsStartup: Bool = false, shutdownMarker: String? = nil) {
        completions = CompletionLog()
        self.failsStartup = failsStartup
        self.shutdownMarker = shutdownMarker
    }

    /// Throws when the probe was made to fail at start-up.
    public func startup() async throws {
        if failsStartup { throw ProbeFailure(stage: "startup") }
    }

    /// Creates the shutdown marker file, if the probe has one.
    public func shutdown() async {
        if let shutdownMarker { createEmptyFile(at: shutdownMarker) }
    }

    /// Answers with the report, or as the request's options say.
    public func respond(to request: Request) async throws -> Response {
        if request.pathInfo.hasPrefix(Probe.endpointPrefix) {
            return try await endpoint(request)
        }
        let options: ProbeOptions
        do {
            options = try ProbeOptions(request)
        } catch {
            return .json(.object([("error", .string(error.description))]), status: .badRequest)
        }
        completions.track(request, id: options.id)
        if let logLine = options.logLine { request.errorLog.write(logLine) }
        if !options.earlyHints.isEmpty {
            let links = Headers(options.earlyHints.map { ("Link", $0) })
            try await request.context.sendInformational(status: .earlyHints, headers: links)
        }
        if options.delay > 0 { try await Task.sleep(for: .milliseconds(options.delay)) }
        if options.failure == .beforeHead { throw ProbeFailure(stage: "before-head") }

        if let path = options.localRedirect { return .localRedirect(to: path) }

        var response = try await content(for: request, options)
        response.status = options.status
        // The method as the app saw it, in the head, where a HEAD response can show it too.
        response.headers.append(name: "X-Probe-Request-Method", value: request.method.rawValue)
        response.headers.append(contentsOf: options.headers)
        response.body = finishing(response.body, options)
        return response
    }

    /// The probe as an ``App``, for entry points that take one.
    public var app: App {
        App(startup: startup, shutdown: shutdown) { request in try await respond(to: request) }
    }

    /// The body the options ask for, before status, fields and trailers are applied.
    private func content(for request: Request, _ options: ProbeOptions) async throws -> Response {
        if options.echoes, options.status.allowsBody {
            return ProbeBodies.echo(request.body, declaresLength: options.declaresLength)
        }
        let summary = await BodySummary.reading(request.body, options.bodyReading)
        if let id = options.id, let error = summary.error { completions.noteBodyError(error, id: id) }
        guard options.status.allowsBody else { return Response() }
        if options.failure == .afterHead { return ProbeBodies.failingAfterHead() }
        if let bytes = options.streamBytes {
            return ProbeBodies.pattern(bytes: bytes, chunks: options.chunks, delay: options.chunkDelay, declaresLength: options.declaresLength)
        }
        return .json(request.probeReport(id: options.id, body: summary))
    }

    /// The body wrapped to record how its producer ended and to send the requested trailers.
    private func finishing(_ body: ResponseBody, _ options: ProbeOptions) -> ResponseBody {
        ResponseBody(length: body.length) { [completions] writer in
            do {
                try await body.write(to: writer)
                if !options.trailers.isEmpty { try await writer.finish(trailers: options.trailers) }
            } catch {
                if let id = options.id { completions.noteProducerError(error, id: id) }
                throw error
            }
        }
    }
}

/// The failure the probe was asked for.
struct ProbeFailure: Error, CustomStringConvertible {
    /// Where it failed: `startup`, `before-head` or `after-head`.
    var stage: String

    var description: String { "the probe failed \(stage), as asked" }
}

extension Response {
    /// A JSON response.
    static func json(_ value: JSON, status: Status = .ok) -> Response {
        Response(status: status, headers: ["Content-Type": "application/json"], body: ResponseBody(value.text))
    }
}
