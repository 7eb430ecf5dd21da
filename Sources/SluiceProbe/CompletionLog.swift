// What the probe's completion hooks saw, kept by request id for a later request to ask about.

public import Sluice
import Synchronization

/// The outcome of requests as their completion hooks saw them: counted for all requests, and
/// recorded in full for those that carried a probe id.
///
/// A request with an id is recorded as pending when it arrives and as completed when its
/// hooks run (Spec LIFE-3), so a client that went away can ask afterwards whether the
/// application learned of it (Spec LIFE-4). The log keeps the latest ``capacity`` ids.
public final class CompletionLog: Sendable {
    /// One request's record.
    public struct Entry: Sendable {
        /// The completion its hooks received; `nil` while the request is still running.
        public var completion: Completion?
        /// Why reading the request body stopped early, if it did (a truncated body, a disconnect).
        public var bodyError: String?
        /// The error the body producer stopped with, if any: a failed write, or its own failure.
        public var producerError: String?
        /// Whether the producer's task was cancelled when it stopped (Spec LIFE-4).
        public var sawCancellation = false
        /// How many times the completion hooks ran: exactly once is correct.
        public var hookRuns = 0
    }

    /// Counts over every request the probe answered, except its endpoints' and those with
    /// invalid options.
    public struct Totals: Sendable {
        /// Requests that arrived.
        public var requests = 0
        /// Requests whose completion hooks ran.
        public var completed = 0
        /// Completed requests whose response went out whole.
        public var succeeded = 0
        /// Completed requests whose client went away (Spec LIFE-4).
        public var clientDisconnected = 0
    }

    /// How many ids the log keeps before forgetting the oldest.
    public let capacity: Int
    private let state = Mutex<(entries: [String: Entry], order: [String], totals: Totals)>(([:], [], Totals()))

    /// Creates an empty log.
    public init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// The record for `id`, if the probe saw it.
    public func entry(for id: String) -> Entry? {
        state.withLock { $0.entries[id] }
    }

    /// The counts so far.
    public var totals: Totals {
        state.withLock { $0.totals }
    }

    /// Counts the request, records it under `id` if it has one, and registers the hook that
    /// completes both.
    func track(_ request: Request, id: String?) {
        state.withLock { state in
            state.totals.requests += 1
            guard let id else { return }
            if state.entries.updateValue(Entry(), forKey: id) == nil {
                state.order.append(id)
            }
            if state.order.count > capacity {
                state.entries[state.order.removeFirst()] = nil
            }
        }
        request.onCompletion { [self] completion in
            state.withLock { state in
                state.totals.completed += 1
                if completion.succeeded { state.totals.succeeded += 1 }
                if completion.clientDisconnected { state.totals.clientDisconnected += 1 }
            }
            guard let id else { return }
            update(id) { entry in
                entry.completion = completion
                entry.hookRuns += 1
            }
        }
    }

    /// Records the error the body producer of the request `id` stopped with.
    func noteProducerError(_ error: any Error, id: String) {
        let cancelled = Task.isCancelled
        update(id) { entry in
            entry.producerError = String(describing: error)
            entry.sawCancellation = cancelled
        }
    }

    /// Records why reading the request body of the request `id` stopped early.
    func noteBodyError(_ description: String, id: String) {
        update(id) { $0.bodyError = description }
    }

    private func update(_ id: String, _ change: (inout Entry) -> Void) {
        state.withLock { state in
            guard var entry = state.entries[id] else { return }
            change(&entry)
            state.entries[id] = entry
        }
    }
}

extension CompletionLog.Entry {
    /// The record as the completions endpoint reports it.
    func json(id: String) -> JSON {
        guard let completion else {
            // What the application got to so far, for a request that never completes.
            return .object([
                ("id", .string(id)), ("state", .string("pending")),
                ("bodyError", .optional(bodyError)), ("producerError", .optional(producerError)),
            ])
        }
        return .object([
            ("id", .string(id)),
            ("state", .string("completed")),
            ("status", .optional(completion.status?.code)),
            ("bodyBytesSent", .number(completion.bodyBytesSent)),
            ("succeeded", .bool(completion.succeeded)),
            ("clientDisconnected", .bool(completion.clientDisconnected)),
            ("error", .optional(completion.error.map { String(describing: $0) })),
            ("applicationError", .optional(completion.applicationError.map { String(describing: $0) })),
            ("bodyError", .optional(bodyError)),
            ("producerError", .optional(producerError)),
            ("sawCancellation", .bool(sawCancellation)),
            ("hookRuns", .number(hookRuns)),
        ])
    }
}

extension CompletionLog.Totals {
    /// The counts as the completions endpoint reports them.
    var json: JSON {
        .object([
            ("requests", .number(requests)),
            ("completed", .number(completed)),
            ("succeeded", .number(succeeded)),
            ("clientDisconnected", .number(clientDisconnected)),
        ])
    }
}
