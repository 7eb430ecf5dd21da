// Lint: middleware that holds both sides of an exchange to the Spec (Rack::Lint, wsgiref.validate).

/// Validates that a server and an application both keep the Sluice Spec, and fails loudly,
/// naming the rule, when either does not.
///
/// Lint sits between a server and an application. Everything the server hands over and
/// everything the application hands back passes through it, and each is checked against the
/// rules of `Spec/sluice-1.0.md`. A broken rule becomes a ``LintViolation`` whose
/// description cites the rule and quotes the offending value:
///
/// ```
/// [RESP-3] response header "Connection" is hop-by-hop; framing is the server's
/// ```
///
/// ## Using it
///
/// Wrap the application in development and in tests; leave it out in production, where it
/// costs nothing because it is not there:
///
/// ```swift
/// let app = Lint(MyApp())             // or MyApp().linted()
/// ```
///
/// In tests, collect what it finds and assert that nothing was:
///
/// ```swift
/// let found = Mutex<[LintViolation]>([])
/// let app = Lint(MyApp()) { violation in found.withLock { $0.append(violation) } }
/// _ = await Gateway.respond(to: request, with: app, through: writer)
/// #expect(found.withLock { $0 }.isEmpty)
/// ```
///
/// Every violation goes to `report`. Errors are also thrown — from `respond(to:)` when the
/// request or the response head is wrong (the gateway then answers 500 and logs it), from the
/// body writer's `write`, `flush` or `finish` when the body is wrong, and from the request
/// body's iterator when the server's body is wrong — so a broken exchange cannot pass
/// unnoticed. What cannot be thrown (warnings, findings in completion hooks) is written to
/// the request's error log; a finding in shut-down, where there is no request, goes to
/// `report` alone. Wrap an application once per server, outermost,
/// so that Lint sees the server's request and the status the server sends.
///
/// ## What the server must do
///
/// - **The request** (REQ-1 to REQ-12): the method is a token; the target starts with `/`, or
///   is `*` for OPTIONS; scriptName is empty or `/…` without a trailing `/`, pathInfo empty or
///   `/…`; scriptName + pathInfo is the target's decoded path (unless a front server rewrote
///   the target, as CGI allows); queryString is the target's query; header names are tokens
///   and values hold no CR, LF or NUL; serverName is not empty, serverPort is 1...65535,
///   serverProtocol is `HTTP/d.d`; scheme is `http` or `https`; remoteAddress is IP text and
///   remotePort 0...65535; no `HTTP_*` meta-variable; `Content-Length` is one number equal
///   to `body.expectedLength`.
/// - **Capabilities** (REQ-14, APP-2): isRunOnce never with isConcurrent, and then only one
///   request; no overlapping calls unless isConcurrent.
/// - **The request body** (BODY-1, BODY-3, BODY-4): not read before the application reads it;
///   never more bytes than expectedLength; never a normal end short of it.
/// - **Running the response** (RESP-1, RESP-6, RESP-7, APP-4): the body producer runs at most
///   once, never for HEAD or a status without a body, with ``RequestContext/current`` set.
/// - **Completion** (LIFE-3): hooks run after the body ended, with the status the application
///   returned.
/// - **Lifecycle** (LIFE-1, LIFE-2): startup once, before any request; shutdown once, after
///   the last.
///
/// ## What the application must do
///
/// - **The status** (RESP-2): a final response is 200...599.
/// - **The header fields** (RESP-3, RESP-4, RESP-7): names are tokens, values hold no CR, LF
///   or NUL; no `Status` and no hop-by-hop field; at most one `Content-Length`, digits only,
///   and none on 1xx or 204; no body on 1xx, 204 or 304.
/// - **The body** (RESP-4, RESP-10, RESP-11): exactly as many bytes as `Content-Length` (or
///   the body's declared length) says; nothing written, flushed or finished after `finish`;
///   no framing or routing field among the trailers.
/// - **The request body** (BODY-1): read at most once. Lint sees a second read when the
///   ``RequestBodyError/alreadyConsumed`` it causes escapes the application.
/// - **Content-Type** (RESP-8): a body SHOULD carry one. As the only SHOULD Lint checks, its
///   violation is a ``LintViolation/Severity/warning``: reported and logged, never thrown.
public struct Lint: Application {
    private let inner: any Application
    private let report: @Sendable (LintViolation) -> Void
    private let usage = ServerUsage()

    /// Wraps `application`; every violation is passed to `report`, and errors are thrown too.
    public init(_ application: any Application, report: @escaping @Sendable (LintViolation) -> Void = { _ in }) {
        inner = application
        self.report = report
    }

    /// Checks the request, runs the application with a checked body, checks the response's
    /// head, and returns the response with its body wrapped to check how it is written.
    public func respond(to request: Request) async throws -> Response {
        let reporter = LintReporter(report: report, errorLog: request.errorLog)
        let admission = usage.startsResponding(to: request)
        defer { usage.finishedResponding() }
        try reporter.check(admission + RequestChecks.violations(of: request))

        var linted = request
        linted.body = request.body.linted(by: reporter)
        let response: Response
        do {
            response = try await inner.respond(to: linted)
        } catch {
            throw reporter.violation(in: error)
        }
        try reporter.check(ResponseChecks.violations(of: response))

        let exchange = LintedExchange(request: request, response: response, reporter: reporter)
        request.onCompletion { completion in exchange.requestCompleted(completion) }
        return exchange.lintedResponse
    }

    /// Checks that start-up comes once, before any request, then starts the application.
    public func startup() async throws {
        try lifecycleReporter.check(usage.startsUp().map { [$0] } ?? [])
        try await inner.startup()
    }

    /// Checks that shut-down comes once, after the last request, then stops the application.
    public func shutdown() async {
        if let violation = usage.shutsDown() { lifecycleReporter.log(violation) }
        await inner.shutdown()
    }

    /// Where start-up and shut-down findings go: to `report` alone, as there is no request
    /// and so no error log (a start-up finding is also thrown).
    private var lifecycleReporter: LintReporter {
        LintReporter(report: report, errorLog: .discarding)
    }
}

extension Application {
    /// This application wrapped in ``Lint``, which checks both sides of every exchange
    /// against the Spec and passes each ``LintViolation`` to `report` before throwing it.
    public func linted(report: @escaping @Sendable (LintViolation) -> Void = { _ in }) -> any Application {
        Lint(self, report: report)
    }
}
