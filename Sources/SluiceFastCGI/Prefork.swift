// Several worker processes on one listening socket.

import Glibc
import Sluice

/// Forks worker processes that share the listening socket and supervises them.
///
/// `fork` copies only the calling thread, so it must happen before any other thread exists:
/// before the worker threads, the signal watcher, and Swift's cooperative pool (which starts
/// with the first task). ``FastCGI/main(_:configuration:)`` calls it first thing, from
/// synchronous code.
enum Prefork {
    /// Forks `count` worker processes and returns in each of them. The calling process stays
    /// here as their supervisor: it starts a new worker when one dies (at most one a second),
    /// passes SIGTERM and SIGINT on to all of them, and exits 0 once they have all exited.
    static func split(into count: Int) {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGTERM, SIGINT, SIGCHLD] {
            sigaddset(&signals, signal)
        }
        var previous = sigset_t()
        sigprocmask(SIG_BLOCK, &signals, &previous)
        var children: Set<pid_t> = []
        var stopping = false
        var isRestart = false
        while true {
            while !stopping && children.count < count {
                if isRestart { sleep(1) }
                let pid = fork()
                if pid == 0 {
                    sigprocmask(SIG_SETMASK, &previous, nil)
                    return
                }
                guard pid > 0 else {
                    ErrorLog.standardError.write("sluice: cannot fork a worker process: \(String(cString: strerror(errno)))")
                    break
                }
                children.insert(pid)
            }
            if children.isEmpty {
                exit(stopping ? 0 : 1)
            }
            var received: Int32 = 0
            sigwait(&signals, &received)
            if received == SIGCHLD {
                var status: Int32 = 0
                while case let pid = waitpid(-1, &status, WNOHANG), pid > 0 {
                    children.remove(pid)
                    if !stopping {
                        ErrorLog.standardError.write("sluice: worker process \(pid) ended (wait status \(status)); starting another")
                        isRestart = true
                    }
                }
            } else {
                stopping = true
                for child in children {
                    kill(child, received)
                }
            }
        }
    }
}
