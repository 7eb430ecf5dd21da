// The hand-over between an application's task and the worker thread that owns its connection.

import Glibc
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

/// A queue of commands with one consumer, the worker thread, which blocks until one arrives;
/// and the task executor the application's tasks run on.
///
/// The application's jobs run on the worker thread too, between commands: a request then
/// costs no thread hand-over at all, as with a C responder. Work the application sends
/// elsewhere (an actor, a detached task) comes back here to continue.
///
/// One queue serves all of a worker's exchanges, one at a time, so a request allocates none.
/// Between ``open(exchange:)`` and the worker taking ``ExchangeCommand/end(failed:)`` it is
/// open to that exchange alone: a command from an earlier exchange's task that the
/// application left running fails at once with ``Sluice/ClientDisconnected``, as does any
/// command while the queue is closed, instead of waiting for a thread that moved on; a job
/// enqueued while it is closed runs on the global executor.
final class CommandQueue: TaskExecutor, @unchecked Sendable {
    // Guarded by `mutex`; `condition` is signalled when a command or a job arrives.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var commands: [ExchangeCommand] = []
    private var jobs: [UnownedJob] = []
    /// Used by the worker thread alone, outside the lock: the jobs it is running.
    private var spareJobs: [UnownedJob] = []
    private var isClosed = true
    private var exchange = 0

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
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
            pthread_mutex_unlock(mutex)
            Self.refuse(command)
            return
        }
        commands.append(command)
        pthread_cond_signal(condition)
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
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Runs the application's jobs on the calling (worker) thread until a command arrives, and
    /// returns it; closes the queue when it is the end.
    func next() -> ExchangeCommand {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            if !commands.isEmpty {
                let command = commands.removeFirst()
                if case .end = command {
                    isClosed = true
                }
                return command
            }
            if !jobs.isEmpty {
                // The jobs are run from a spare array that takes their place, so neither
                // allocates: the queue runs jobs for every request.
                swap(&jobs, &spareJobs)
                pthread_mutex_unlock(mutex)
                for job in spareJobs {
                    job.runSynchronously(on: asUnownedTaskExecutor())
                }
                spareJobs.removeAll(keepingCapacity: true)
                pthread_mutex_lock(mutex)
                continue
            }
            pthread_cond_wait(condition, mutex)
        }
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
