// Running async code on the thread that asks for it: no thread pool, no Dispatch main loop.

import Glibc
import Synchronization

/// A task executor that runs its jobs on the thread that called ``run(_:)``, until the
/// operation given there completes.
///
/// A CGI program serves one request and exits, so its start-up is its cost. An `async`
/// top-level `main` hands the main thread to Dispatch (`dispatch_main`, which ends the main
/// thread with `pthread_exit`: in a static executable that first sorts the unwind tables of
/// the whole binary, about 5 ms), and every hop onto the global executor starts worker
/// threads. Run here, a request needs neither.
///
/// Work bound to another executor still runs there: a `@MainActor` function, whose executor is
/// the Dispatch main queue that nothing drains here, would wait forever.
final class CallingThreadExecutor: TaskExecutor {
    private struct Queue {
        var jobs: [UnownedJob] = []
        /// The running thread is blocked reading `wakeUp` and needs a byte to go on.
        var waiting = false
    }

    private let queue = Mutex(Queue())
    /// A pipe: a job enqueued from another thread (a timer, say) writes a byte to wake the runner.
    private let wakeUp: (read: Int32, write: Int32)

    private init() {
        var ends: [Int32] = [-1, -1]
        precondition(pipe(&ends) == 0, "pipe failed: errno \(errno)")
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        wakeUp = (ends[0], ends[1])
    }

    deinit {
        close(wakeUp.read)
        close(wakeUp.write)
    }

    /// Runs `operation` to its end on the calling thread and returns its result.
    ///
    /// Blocks the thread meanwhile: call it from synchronous code, such as a program's top level.
    static func run<Result: Sendable>(_ operation: @escaping @Sendable () async -> Result) -> Result {
        let executor = CallingThreadExecutor()
        let result = Mutex<Result?>(nil)
        Task.detached(executorPreference: executor) {
            let value = await operation()
            result.withLock { $0 = value }
        }
        while true {
            // The result is set by a job of this very thread, so it cannot change behind the check.
            if let value = result.withLock({ $0 }) { return value }
            executor.runNextJobs()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let wakesRunner = queue.withLock { queue in
            queue.jobs.append(job)
            defer { queue.waiting = false }
            return queue.waiting
        }
        if wakesRunner {
            var byte: UInt8 = 1
            while write(wakeUp.write, &byte, 1) < 0, errno == EINTR {}
        }
    }

    /// Runs the jobs queued so far, or waits for one to be queued.
    private func runNextJobs() {
        let jobs = queue.withLock { queue in
            defer { queue.jobs.removeAll(keepingCapacity: true) }
            queue.waiting = queue.jobs.isEmpty
            return queue.jobs
        }
        guard !jobs.isEmpty else {
            var byte: UInt8 = 0
            while read(wakeUp.read, &byte, 1) < 0, errno == EINTR {}
            return
        }
        for job in jobs {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
