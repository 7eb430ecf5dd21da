// The probe's own endpoints, below `/_probe/`: what it observed earlier, and its memory.

import Sluice
import SluiceToolkit

extension Probe {
    /// Paths below this prefix are the probe's endpoints rather than requests to report.
    static let endpointPrefix = "/_probe/"

    /// `/_probe/completions/ID[?wait=MS]`, `/_probe/completions`, `/_probe/memory` and
    /// `/_probe/websocket`; 404 for anything else.
    func endpoint(_ request: Request) async throws -> Response {
        let path = request.pathInfo.dropFirst(Probe.endpointPrefix.count)
        if path == "memory" {
            return .json(residentMemoryReport())
        }
        if path == "websocket" {
            return webSocketEndpoint(request)
        }
        if path == "completions" {
            return .json(completions.totals.json)
        }
        guard path.hasPrefix("completions/"), request.method == .get || request.method == .head else {
            return .json(.object([("error", .string("no probe endpoint at \(request.pathInfo)"))]), status: .notFound)
        }
        let id = String(path.dropFirst("completions/".count))
        let entry = try await completionEntry(for: id, waitingUpTo: milliseconds(in: request, named: "wait"))
        guard let entry else {
            return .json(.object([("id", .string(id)), ("state", .string("unknown"))]), status: .notFound)
        }
        return .json(entry.json(id: id))
    }

    /// The record for `id`, polled until it completes or `wait` milliseconds pass, so a client
    /// that just disconnected need not guess how long the server takes to notice.
    private func completionEntry(for id: String, waitingUpTo wait: Int) async throws -> CompletionLog.Entry? {
        // By the clock, not by counting sleeps: on a loaded machine each sleep overruns, and
        // the wait for an id that never arrives would outlast the client's own timeout.
        let deadline = ContinuousClock.now + .milliseconds(wait)
        while true {
            let entry = completions.entry(for: id)
            if entry?.completion != nil || ContinuousClock.now >= deadline { return entry }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The number `name=N` in the request's query, or 0.
    private func milliseconds(in request: Request, named name: String) -> Int {
        (try? request.query())?[name].flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil } ?? 0
    }
}
