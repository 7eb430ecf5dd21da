// Starting the dedicated threads the workers' blocking calls run on.

#if os(Linux)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts detached POSIX threads, outside Swift's cooperative pool.
enum WorkerThread {
    /// Holds the thread's body until the thread takes it.
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Runs `body` on a new detached thread that does not receive SIGTERM and SIGINT: those
    /// must not interrupt a blocking read (a socket with a timeout is not restarted after a
    /// signal), and swift-service-lifecycle's signal handling takes them.
    static func start(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let result = pthread_create(
            &thread, &attributes,
            { raw in
                var blocked = sigset_t()
                sigemptyset(&blocked)
                sigaddset(&blocked, SIGTERM)
                sigaddset(&blocked, SIGINT)
                pthread_sigmask(SIG_BLOCK, &blocked, nil)
                Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, box)
        pthread_attr_destroy(&attributes)
        precondition(result == 0, "cannot start a worker thread: \(String(cString: strerror(result)))")
    }
}

#endif
