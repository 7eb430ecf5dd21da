// How the server runs one response: its body producer and its completion (Spec RESP-1, RESP-6,
// RESP-7, APP-4, LIFE-3).

/// Watches the server run the body of one response Lint let through, and complete the request.
final class LintedExchange: Sendable {
    private enum BodyPhase: Sendable {
        case notRun, running, ended
    }

    private struct State: Sendable {
        var body = BodyPhase.notRun
        var completed = false
    }

    private let request: Request
    private let response: Response
    private let reporter: LintReporter
    private let order: BodyOrder
    private let state = Locked(State())

    init(request: Request, response: Response, reporter: LintReporter, order: BodyOrder) {
        self.request = request
        self.response = response
        self.reporter = reporter
        self.order = order
    }

    /// The response with its body wrapped, so that Lint sees the server run it and the
    /// application write it.
    var lintedResponse: Response {
        let body = response.body
        var linted = response
        linted.body = ResponseBody(length: body.length) { writer in
            defer { self.bodyEnds() }
            try self.bodyStarts()
            let headers = self.response.headers
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
        let status = response.status.code
        if earlier.body != .notRun {
            throw reporter.fail(.server("RESP-1", "the server ran the body producer a second time"))
        }
        if request.method == .head {
            throw reporter.fail(.server("RESP-6", "the server ran the body producer for a HEAD request"))
        }
        if !response.status.allowsBody {
            throw reporter.fail(.server("RESP-7", "the server ran the body producer of a \(status) response"))
        }
        if earlier.completed {
            throw reporter.fail(.server("LIFE-3", "the server ran the body producer after it completed the request"))
        }
        if RequestContext.current !== request.context {
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
        if let status = completion.status, status.code != response.status.code {
            reporter.log(.server(
                "LIFE-3",
                "the completion reports status \(status.code), but the application returned \(response.status.code)"
            ))
        }
    }
}
