// A request whose application ran past the server's request timeout (Spec LIFE-6).

public import Sluice

/// The application did not finish its response within the server's request timeout
/// (Spec LIFE-6). The server cancelled its task, answered 503 when no head had gone out (or
/// cut the response off when one had), and ran the completion hooks without waiting for the
/// task to end.
///
/// A hook sees it as ``Completion/applicationError`` when the server sent its 503, and as
/// ``Completion/error`` when the response was cut off.
public struct RequestTimedOut: Error, Sendable, CustomStringConvertible {
    /// The timeout that passed.
    public let limit: Duration

    /// Creates the error for a timeout of `limit`.
    public init(limit: Duration) {
        self.limit = limit
    }

    /// The timeout as a sentence for the log.
    public var description: String { "no response within \(limit)" }
}

extension Gateway {
    /// Completes a request whose application ran past the request timeout, for an adapter
    /// that has cancelled the application's task and answered (or cut off) the response
    /// itself (Spec LIFE-6). `sentStatus` is the status of the head the application had
    /// sent, or `nil` when the adapter answered 503. The request is marked complete at once —
    /// the task, when it ends, runs no hook again — and the hooks run in a new task.
    ///
    /// - Returns: The outcome the hooks get.
    @discardableResult
    public static func completeTimedOut(_ context: RequestContext, limit: Duration, sentStatus: Response.Status?) -> Completion {
        let timedOut = RequestTimedOut(limit: limit)
        let completion =
            if let sentStatus {
                Completion(status: sentStatus, bodyBytesSent: 0, error: timedOut)
            } else {
                Completion(status: .serviceUnavailable, bodyBytesSent: 0, error: nil, applicationError: timedOut)
            }
        if let hooks = context.markComplete(with: completion), !hooks.isEmpty {
            Task { await RequestContext.run(hooks, with: completion) }
        }
        return completion
    }
}
