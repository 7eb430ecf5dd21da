// Running async code on the thread that asks for it: no thread pool, no Dispatch main loop.

import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
        /// A pipe: a job enqueued from another thread (a timer, say) writes a byte to wake the
        /// runner. Made the first time the runner has to wait: most requests never do, and a
        /// pipe costs a CGI program five system calls of its start-up.
        var wakeUp: (read: Int32, write: Int32)?
    }

    private let queue = Mutex(Queue())

    private init() {}

    deinit {
        if let wakeUp = queue.withLock({ $0.wakeUp }) {
            close(wakeUp.read)
            close(wakeUp.write)
        }
    }

    /// Runs `operation` to its end on the calling thread and returns its result.
    ///
    /// Blocks the thread meanwhile: call it from synchronous code, such as a program's top level.
    static func run<Result: Sendable>(_ operation: @escaping @Sendable () async -> Result) -> Result {
        let executor = CallingThreadExecutor()
        // The result is set by a job of this very thread (the task's code runs on this executor),
        // so it cannot change behind the check and needs no lock. A lock would cost more than it
        // seems: destroying a `Mutex` the task captured makes the runtime look up a protocol
        // conformance, a scan of every conformance in the binary, at each CGI program's start.
        let slot = UnsafeMutablePointer<Result?>.allocate(capacity: 1)
        slot.initialize(to: nil)
        defer {
            slot.deinitialize(count: 1)
            slot.deallocate()
        }
        nonisolated(unsafe) let result = slot
        Task.detached(executorPreference: executor) {
            result.pointee = await operation()
        }
        while true {
            if let value = result.pointee { return value }
            executor.runNextJobs()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let runnerToWake = queue.withLock { queue in
            queue.jobs.append(job)
            defer { queue.waiting = false }
            return queue.waiting ? queue.wakeUp : nil
        }
        if let runnerToWake {
            var byte: UInt8 = 1
            while write(runnerToWake.write, &byte, 1) < 0, errno == EINTR {}
        }
    }

    /// Runs the jobs queued so far, or waits for one to be queued.
    private func runNextJobs() {
        let (jobs, wakeUp) = queue.withLock { queue in
            defer { queue.jobs.removeAll(keepingCapacity: true) }
            queue.waiting = queue.jobs.isEmpty
            if queue.waiting, queue.wakeUp == nil {
                queue.wakeUp = Self.makePipe()
            }
            return (queue.jobs, queue.wakeUp)
        }
        guard !jobs.isEmpty else {
            var byte: UInt8 = 0
            while let wakeUp, read(wakeUp.read, &byte, 1) < 0, errno == EINTR {}
            return
        }
        for job in jobs {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    /// A pipe whose ends are closed on `exec`, so no child process inherits them.
    private static func makePipe() -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        precondition(pipe(&ends) == 0, "pipe failed: errno \(errno)")
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }
}
