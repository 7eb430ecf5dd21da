// How the server runs one response: its body producer and its completion (Spec RESP-1, RESP-6,
// RESP-7, APP-4, LIFE-3).

/// Watches the server run the body of one response Lint let through, and complete the request.
///
/// It keeps what it checks — the method, the status, the fields — and not the request or the
/// response: the request's context holds the completion hook that holds this exchange, and an
/// application's body producer may hold the request, so keeping either would make a cycle that
/// outlives a request the server never completes.
final class LintedExchange: Sendable {
    private enum BodyPhase: Sendable {
        case notRun, running, ended
    }

    private struct State: Sendable {
        var body = BodyPhase.notRun
        var completed = false
    }

    private let method: Request.Method
    private weak let context: RequestContext?
    private let status: Response.Status
    private let reporter: LintReporter
    private let order: BodyOrder
    private let state = Locked(State())

    init(request: Request, status: Response.Status, reporter: LintReporter, order: BodyOrder) {
        method = request.method
        context = request.context
        self.status = status
        self.reporter = reporter
        self.order = order
    }

    /// `response` with its body wrapped, so that Lint sees the server run it and the
    /// application write it.
    func linted(_ response: Response) -> Response {
        let body = response.body
        let headers = response.headers
        var linted = response
        linted.body = ResponseBody(length: body.length) { writer in
            defer { self.bodyEnds() }
            try self.bodyStarts()
            let checked = LintedWriter(
                writer,
                declaredLength: headers["Content-Length"].flatMap { Int($0) } ?? body.length,
                needsContentType: body.length == nil && !headers.contains("Content-Type"),
                reporter: self.reporter,
                order: self.order
            )
            defer { checked.markProducerReturned() }
            do {
                try await body.write(to: checked)
            } catch {
                throw self.reporter.violation(in: error)
            }
            try checked.producerReturned()
        }
        return linted
    }

    /// Checks that the server may run the body now (RESP-1, RESP-6, RESP-7, APP-4, LIFE-3).
    private func bodyStarts() throws(LintViolation) {
        let earlier = state.withLock { state in
            defer { state.body = .running }
            return state
        }
        if earlier.body != .notRun {
            throw reporter.fail(.server("RESP-1", "the server ran the body producer a second time"))
        }
        if method == .head {
            throw reporter.fail(.server("RESP-6", "the server ran the body producer for a HEAD request"))
        }
        if !status.allowsBody {
            throw reporter.fail(.server("RESP-7", "the server ran the body producer of a \(status.code) response"))
        }
        if earlier.completed {
            throw reporter.fail(.server("LIFE-3", "the server ran the body producer after it completed the request"))
        }
        if RequestContext.current !== context {
            throw reporter.fail(.server("APP-4", "RequestContext.current is not this request's context while the body streams"))
        }
    }

    private func bodyEnds() {
        state.withLock { $0.body = .ended }
    }

    /// The completion hook Lint registers: the outcome must come after the body and name the
    /// status the application returned (LIFE-3).
    func requestCompleted(_ completion: Completion) {
        let earlier = state.withLock { state in
            defer { state.completed = true }
            return state
        }
        if earlier.body == .running {
            reporter.log(.server("LIFE-3", "the server ran completion hooks while the body was still being written"))
        }
        if let sent = completion.status, sent.code != status.code {
            reporter.log(
                .server(
                    "LIFE-3",
                    "the completion reports status \(sent.code), but the application returned \(status.code)"
                ))
        }
    }
}
