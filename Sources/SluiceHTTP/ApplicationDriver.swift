// Who runs the application for a connection's requests: kept apart from the protocol's state
// machine, so that how applications run can change without touching the protocol.

import Sluice
import SluiceGateway

/// Runs the application for each request of one connection in a task of its own, started at
/// once on the connection's event loop: an application that answers without suspending is
/// answered inside the read that delivered the request, as a handler written against NIO would,
/// and one that suspends resumes on the thread that owns the socket.
///
/// One task per connection running its requests in turn (issue 19) would replace this type and
/// nothing else: the connection's state machine only says when to start and when to cancel.
final class ApplicationDriver {
    private let application: FollowingLocalRedirects
    private let executor: EventLoopTaskExecutor
    /// The request whose task runs, with that task.
    private var running: (id: Int, task: Task<Void, Never>)?

    init(application: FollowingLocalRedirects, executor: EventLoopTaskExecutor) {
        self.application = application
        self.executor = executor
    }

    /// Runs the application for `request`, exchange `id`, answering through `link`.
    func start(_ request: consuming Request, id: Int, link: ConnectionLink) {
        let application = self.application
        // Moved, not copied, into the task: a copy of a request retains each of its fields.
        let executor = self.executor
        let task = Task.immediate(executorPreference: executor) { [request = consume request] in
            let completion = await Gateway.respond(
                to: request, with: application, through: ChannelResponseWriter(connection: link, id: id), hookExecutor: executor
            )
            link.complete(id: id, with: completion)
        }
        running = (id, task)
    }

    /// Cancels the task of exchange `id`, if it is the one that runs (Spec LIFE-4).
    func cancel(id: Int) {
        guard let running, running.id == id else { return }
        running.task.cancel()
    }
}
