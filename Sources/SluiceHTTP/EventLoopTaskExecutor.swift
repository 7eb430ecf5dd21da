// Running an application's task on the event loop that serves its connection.

import NIOCore

/// A task executor that runs jobs on one NIO event loop.
///
/// A request's task prefers the executor of its connection's loop, so the gateway, the
/// application and every write run on the thread that owns the socket: no thread hop per
/// write, as a handler written directly against NIO would have. An application that blocks
/// its thread blocks that loop, as it would block Swift's cooperative pool.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
