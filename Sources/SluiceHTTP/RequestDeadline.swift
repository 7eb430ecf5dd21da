// The request timeout of the exchange whose application runs, on an HTTP connection or stream
// (Spec LIFE-6, HTTP-12).

import NIOCore
import Sluice
import SluiceGateway

/// The timer of one exchange's request timeout, and what its handler needs when it fires to
/// complete the request without the application's task: its context, and its method and
/// target for the error log.
struct RequestDeadline {
    let limit: Duration
    let context: RequestContext
    /// The method and target, for the error log.
    let label: String
    let timer: Scheduled<Void>

    /// Completes the request as timed out — before its task is cancelled, which would complete
    /// it as a disconnect — and says so in `errorLog`. `sentStatus` is the status of the head
    /// the application sent, `nil` when the server answers 503.
    func expire(sentStatus: Response.Status?, errorLog: ErrorLog) {
        Gateway.completeTimedOut(context, limit: limit, sentStatus: sentStatus)
        let outcome = sentStatus == nil ? "answered 503" : "response cut off after its head"
        errorLog.write("sluice: \(label): no response within \(limit): \(outcome); the application's task is cancelled")
    }
}
