// What the Lint tests share: a request that breaks no rule, a log of violations, and ways to
// run a linted application through the gateway or through a server that breaks the Spec.

import GatewayTestSupport
import Sluice
import SluiceGateway
import Synchronization

/// Collects the violations a ``Lint`` reports.
final class ViolationLog: Sendable {
    private let found = Mutex<[LintViolation]>([])

    /// Records one violation; pass it as Lint's `report`.
    func record(_ violation: LintViolation) {
        found.withLock { $0.append(violation) }
    }

    /// Every violation reported, in order.
    var violations: [LintViolation] { found.withLock { $0 } }

    /// The rule of every violation reported, in order.
    var rules: [String] { violations.map(\.rule) }
}

/// A GET request that breaks no rule, changed as a test needs. Its error log discards, so
/// that logged violations do not clutter the test output.
func lintRequest(_ change: (inout Request) -> Void = { _ in }) -> Request {
    var request = Request(method: .get, target: "/a", pathInfo: "/a", errorLog: .discarding)
    change(&request)
    return request
}

/// A linted application run for one request through the gateway, as a correct server runs it.
struct LintedRun {
    /// What Lint reported.
    let log: ViolationLog
    /// What the gateway wrote.
    let writer: RecordingWriter
    /// The gateway's outcome.
    let completion: Completion

    /// Runs `application` wrapped in a fresh ``Lint``, writing to `writer`.
    init(_ application: some Application, request: Request = lintRequest(), writer: RecordingWriter = RecordingWriter()) async {
        let log = ViolationLog()
        completion = await Gateway.respond(to: request, with: Lint(application, report: log.record), through: writer)
        self.log = log
        self.writer = writer
    }

    /// The application from a handler.
    init(request: Request = lintRequest(), _ handler: @escaping @Sendable (Request) async throws -> Response) async {
        await self.init(App(handler), request: request)
    }
}

/// Plays a server that skips the gateway, so a test can break the rules the gateway keeps:
/// it calls Lint directly and runs the body itself.
struct RogueServer {
    let log = ViolationLog()
    let lint: Lint

    init(_ handler: @escaping @Sendable (Request) async throws -> Response = { _ in .text("ok") }) {
        lint = Lint(App(handler), report: log.record)
    }

    /// Asks the application for a response, with the request's context current.
    func respond(to request: Request) async throws -> Response {
        try await RequestContext.withCurrent(request.context) { try await lint.respond(to: request) }
    }

    /// Runs the response's body, with the request's context current.
    func runBody(of response: Response, for request: Request) async throws {
        try await RequestContext.withCurrent(request.context) { try await response.body.write(to: RecordingWriter()) }
    }
}

/// A request body source that yields the given chunks and then ends normally, whatever
/// length the body declares: a server that gets the framing wrong.
struct ChunksSource: RequestBodySource {
    var chunks: [[UInt8]]

    mutating func next() async throws -> [UInt8]? {
        chunks.isEmpty ? nil : chunks.removeFirst()
    }
}
