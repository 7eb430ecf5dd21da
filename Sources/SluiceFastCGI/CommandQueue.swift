// The hand-over between an application's task and the worker thread that serves its request.

#if os(Linux)
import CEventPoll
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Sluice

/// What an application's task asks its worker thread to do with the connection: the socket
/// blocks, so reads and writes run on the worker thread, never on Swift's cooperative pool.
enum ExchangeCommand: Sendable {
    /// Read at most this many bytes of `FCGI_STDIN`; an empty result is its end.
    case read(maximum: Int, UnsafeContinuation<[UInt8], any Error>)
    /// Write these bytes to `FCGI_STDOUT`, then send what is buffered if asked.
    case write([UInt8], flush: Bool, UnsafeContinuation<Void, any Error>)
    /// The exchange is over; when it `failed`, the response must end abnormally.
    case end(failed: Bool)
}

/// A queue of commands with one consumer, the worker thread; and the task executor the
/// application's tasks run on.
///
/// The application's jobs run on the worker thread too, between commands: a request then
/// costs no thread hand-over at all, as with a C responder. Work the application sends
/// elsewhere (an actor, a detached task) comes back here to continue. While the task waits
/// for such work, the worker waits on the queue and on the connection at once
/// (``wait(watching:events:)``), so a client that goes away is noticed then (Spec LIFE-4).
///
/// One queue serves all of a worker's exchanges, one at a time, so a request allocates none.
/// Between ``open(exchange:)`` and the worker taking ``ExchangeCommand/end(failed:)`` — or
/// giving up on the exchange (``closeIfIdle()``) — it is open to that exchange alone: a
/// command from another exchange's task fails at once with ``Sluice/ClientDisconnected``, as
/// does any command while the queue is closed, instead of waiting for a thread that moved
/// on; a job enqueued while it is closed runs on the global executor.
final class CommandQueue: TaskExecutor, @unchecked Sendable {
    // Guarded by `mutex`; `wakeUp` is signalled when a command or a job arrives while the
    // worker waits.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wakeUp = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
    private var commands: [ExchangeCommand] = []
    private var jobs: [UnownedJob] = []
    /// Used by the worker thread alone, outside the lock: the jobs it is running.
    private var spareJobs: [UnownedJob] = []
    private var isClosed = true
    private var isWaiting = false
    private var exchange = 0
    private var abandoned = 0
    /// Called, outside the lock, each time the task of an exchange given up on ends.
    private let abandonedTaskEnded: @Sendable () -> Void

    init(abandonedTaskEnded: @escaping @Sendable () -> Void = {}) {
        self.abandonedTaskEnded = abandonedTaskEnded
        precondition(wakeUp >= 0, "cannot create an eventfd: \(String(cString: strerror(errno)))")
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        close(wakeUp)
    }

    /// Opens the queue to the commands of one exchange, numbered by the caller.
    func open(exchange: Int) {
        pthread_mutex_lock(mutex)
        self.exchange = exchange
        isClosed = false
        pthread_mutex_unlock(mutex)
    }

    /// Hands a command of `exchange` to the worker thread.
    func post(_ command: ExchangeCommand, exchange: Int) {
        pthread_mutex_lock(mutex)
        guard !isClosed, exchange == self.exchange else {
            var ended = false
            if case .end = command {
                // The task of an exchange the worker gave up on has ended.
                abandoned -= 1
                ended = true
            }
            pthread_mutex_unlock(mutex)
            Self.refuse(command)
            if ended { abandonedTaskEnded() }
            return
        }
        commands.append(command)
        wakeIfWaiting()
        pthread_mutex_unlock(mutex)
    }

    /// Queues a job of the application's task, to run on the worker thread.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pthread_mutex_lock(mutex)
        guard !isClosed else {
            pthread_mutex_unlock(mutex)
            globalConcurrentExecutor.enqueue(job)
            return
        }
        jobs.append(job)
        wakeIfWaiting()
        pthread_mutex_unlock(mutex)
    }

    /// Runs the application's jobs on the calling (worker) thread until a command arrives,
    /// and returns it, closing the queue when it is the end; `nil` once there is nothing to
    /// run: the task waits for something else.
    func next() -> ExchangeCommand? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if !commands.isEmpty {
                let command = commands.removeFirst()
                if case .end = command {
                    isClosed = true
                    // Jobs left now are another task's — one the worker gave up on, or work the
                    // application left running — that came while this exchange ran. The next
                    // exchange may never wait, so they go where jobs of a closed queue go.
                    for job in jobs {
                        globalConcurrentExecutor.enqueue(job)
                    }
                    jobs.removeAll(keepingCapacity: true)
                }
                return command
            }
            guard !jobs.isEmpty else { return nil }
            // The jobs are run from a spare array that takes their place, so neither
            // allocates: the queue runs jobs for every request.
            swap(&jobs, &spareJobs)
            pthread_mutex_unlock(mutex)
            for job in spareJobs {
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
            spareJobs.removeAll(keepingCapacity: true)
            pthread_mutex_lock(mutex)
        }
    }

    /// Blocks until a command or a job arrives (returns 0), or `descriptor` has one of
    /// `events` (returns what it has: poll(2)'s `revents`); returns at once when a command or
    /// job arrived since ``next()``, and after `timeout` milliseconds (negative: never) with 0.
    /// A negative descriptor is not watched.
    func wait(watching descriptor: Int32, events: Int16, timeout: Int32 = -1) -> Int16 {
        pthread_mutex_lock(mutex)
        guard commands.isEmpty && jobs.isEmpty else {
            pthread_mutex_unlock(mutex)
            return 0
        }
        isWaiting = true
        pthread_mutex_unlock(mutex)
        var waiting = (pollfd(fd: wakeUp, events: Int16(POLLIN), revents: 0), pollfd(fd: descriptor, events: events, revents: 0))
        let ready = withUnsafeMutableBytes(of: &waiting) { pair in
            poll(pair.baseAddress!.assumingMemoryBound(to: pollfd.self), descriptor >= 0 ? 2 : 1, timeout)
        }
        pthread_mutex_lock(mutex)
        isWaiting = false
        pthread_mutex_unlock(mutex)
        if ready > 0 && waiting.0.revents != 0 {
            var count: UInt64 = 0
            _ = read(wakeUp, &count, MemoryLayout<UInt64>.size)
        }
        return ready > 0 ? waiting.1.revents : 0
    }

    /// Gives up on the current exchange when nothing of it is left to run here: its task,
    /// cancelled, waits for something else, and goes on elsewhere when that comes. Returns
    /// whether it gave up; the task is then counted in ``abandonedTasks`` until it ends.
    func closeIfIdle() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard commands.isEmpty && jobs.isEmpty else { return false }
        isClosed = true
        abandoned += 1
        return true
    }

    /// How many tasks of exchanges this queue gave up on are still running.
    var abandonedTasks: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return abandoned
    }

    /// Wakes the worker if it waits; called with the lock held.
    private func wakeIfWaiting() {
        guard isWaiting else { return }
        isWaiting = false
        var one: UInt64 = 1
        _ = write(wakeUp, &one, MemoryLayout<UInt64>.size)
    }

    /// Fails a command no thread will execute.
    private static func refuse(_ command: ExchangeCommand) {
        switch command {
        case let .read(_, continuation): continuation.resume(throwing: ClientDisconnected())
        case let .write(_, _, continuation): continuation.resume(throwing: ClientDisconnected())
        case .end: break
        }
    }
}

#endif
