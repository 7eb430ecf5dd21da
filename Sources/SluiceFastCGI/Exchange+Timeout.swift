// An application that runs past the request timeout: cancelled, answered, completed, and its
// worker freed (Spec LIFE-6).

#if os(Linux)
import Sluice
import SluiceGateway

extension Exchange {
    /// The body of the 503 that answers a request that timed out.
    private static let timedOutBody = Array("503 Service Unavailable\n".utf8)

    /// Ends the exchange whose deadline passed while its task waits (the worker has given up
    /// on the task, ``CommandQueue/closeIfIdle()``): cancels the task, logs, completes the
    /// request with ``Sluice/RequestTimedOut`` and answers 503 — or, when the application had
    /// sent its head, returns false so that the response is cut off (Spec ERR-2).
    func timeOut(_ deadline: RequestDeadline, diagnostics: DiagnosticsBuffer) -> Bool {
        let sentStatus = streams.sentStatus
        // Completed first: the task, once cancelled, would complete it as a disconnect.
        Gateway.completeTimedOut(deadline.context, limit: deadline.limit, sentStatus: sentStatus)
        streams.applicationTask?.cancel()
        let outcome = sentStatus == nil ? "answered 503" : "response cut off after its head"
        diagnostics.errorLog.write("sluice: \(deadline.label): no response within \(deadline.limit): \(outcome); the application's task is cancelled")
        for message in diagnostics.take() {
            streams.writeError(message)
        }
        diagnostics.close()
        guard sentStatus == nil else {
            // What is buffered, the log line with it, goes out before the response is cut off.
            try? streams.write([], flush: true)
            return false
        }
        let headers: Headers = ["Content-Type": "text/plain; charset=utf-8", "Content-Length": "\(Self.timedOutBody.count)"]
        do {
            try streams.writeResponse(status: .serviceUnavailable, headers: headers, body: Self.timedOutBody)
            return true
        } catch {
            return false
        }
    }
}

#endif
