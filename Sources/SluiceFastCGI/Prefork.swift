// Several worker processes on one listening socket, and the supervisor that keeps them.

#if os(Linux)
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Sluice
import SluiceGateway
import SluiceSystemd

/// Forks worker processes that share the listening socket and supervises them.
///
/// `fork` copies only the calling thread, so it must happen before any other thread exists:
/// before the worker threads, the signal watcher, and Swift's cooperative pool (which starts
/// with the first task). ``FastCGI/main(_:configuration:)`` calls it first thing, from
/// synchronous code.
enum Prefork {
    /// The exit status of a worker process whose application failed to start: the
    /// supervisor then stops every worker and exits 1 (Spec LIFE-1), instead of starting
    /// the worker again and again.
    static let startupFailedStatus: Int32 = 3

    /// Forks `count` worker processes and returns in each of them. The calling process stays
    /// here as their supervisor:
    /// - a worker that exits 0 (recycled after `--max-requests`) is replaced at once, one
    ///   that dies otherwise at most once a second;
    /// - a worker that exits with ``startupFailedStatus`` stops them all, and the supervisor
    ///   exits 1;
    /// - SIGTERM and SIGINT are passed on to every worker, and the supervisor exits 0 once
    ///   they have all exited (1 after a failed start-up);
    /// - SIGHUP re-executes the program on the same socket (``Reload``): the new image forks
    ///   new workers, then stops these gracefully, so requests in flight complete.
    static func split(into count: Int, socket: ListeningSocket) {
        let handled = [SIGTERM, SIGINT, SIGCHLD, SIGHUP]
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in handled {
            sigaddset(&signals, signal)
        }
        var previous = sigset_t()
        sigprocmask(SIG_BLOCK, &signals, &previous)
        // After a reload the mask was inherited with these blocked: workers must not be.
        for signal in handled {
            sigdelset(&previous, signal)
        }
        var children: Set<pid_t> = []
        // The previous image's workers, told to stop once this image's are forked.
        var draining = Reload.previousWorkers()
        var stopping = false
        var failedToStart = false
        var throttle = false
        var announcedReady = false
        let watchdog = SystemdNotifier.watchdogInterval
        while true {
            while !stopping && children.count < count {
                if throttle { sleep(1) }
                let pid = fork()
                if pid == 0 {
                    signal(SIGHUP, SIG_IGN)
                    sigprocmask(SIG_SETMASK, &previous, nil)
                    return
                }
                guard pid > 0 else {
                    ErrorLog.standardError.write("sluice: cannot fork a worker process: \(String(cString: strerror(errno)))")
                    break
                }
                children.insert(pid)
            }
            if !draining.isEmpty && !draining.toldToStop {
                draining.stop()
            }
            if !announcedReady && !stopping {
                // Ready once the workers are forked (each then runs startup()); systemd hears
                // from the supervisor alone, its main process.
                SystemdNotifier.notify("READY=1\nSTATUS=\(count) worker processes")
                announcedReady = true
            }
            if children.isEmpty && draining.isEmpty {
                exit(failedToStart || !stopping ? 1 : 0)
            }
            let received = nextSignal(&signals, pingingEvery: watchdog)
            switch received {
            case SIGCHLD:
                var status: Int32 = 0
                while case let pid = waitpid(-1, &status, WNOHANG), pid > 0 {
                    if draining.remove(pid) { continue }
                    children.remove(pid)
                    guard !stopping else { continue }
                    throttle = false
                    switch WorkerEnd(status) {
                    case .exited(Self.startupFailedStatus):
                        ErrorLog.standardError.write("sluice: worker process \(pid) could not start the application: stopping")
                        failedToStart = true
                        stopping = true
                        for child in children { kill(child, SIGTERM) }
                    case .exited(0):
                        ErrorLog.standardError.write("sluice: worker process \(pid) recycled; starting another")
                    default:
                        ErrorLog.standardError.write("sluice: worker process \(pid) ended (wait status \(status)); starting another")
                        throttle = true
                    }
                }
            case SIGHUP:
                guard !stopping else { continue }
                ErrorLog.standardError.write("sluice: SIGHUP: re-executing on the same socket to replace the worker processes")
                SystemdNotifier.reloading()
                Reload.reexecute(keeping: socket, workers: children.union(draining.processes))
            default:
                if !stopping {
                    SystemdNotifier.stopping()
                    // The workers leave the shared socket open; it stops here, for all of them.
                    socket.stopAccepting()
                }
                stopping = true
                for child in children.union(draining.processes) {
                    kill(child, received)
                }
            }
        }
    }
}

extension Prefork {
    /// Waits for one of `signals`; with a watchdog `interval`, pings systemd each time it
    /// passes while waiting.
    fileprivate static func nextSignal(_ signals: inout sigset_t, pingingEvery interval: Duration?) -> Int32 {
        guard let interval else {
            var received: Int32 = 0
            sigwait(&signals, &received)
            return received
        }
        let (seconds, attoseconds) = interval.components
        var timeout = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        while true {
            let received = sigtimedwait(&signals, nil, &timeout)
            if received > 0 { return received }
            SystemdNotifier.notify("WATCHDOG=1")
        }
    }
}

/// How a worker process ended, from its wait status.
private enum WorkerEnd: Equatable {
    case exited(Int32)
    case signalled(Int32)

    init(_ status: Int32) {
        self = status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
    }
}

#endif
