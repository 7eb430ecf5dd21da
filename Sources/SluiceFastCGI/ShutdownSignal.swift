// SIGTERM and SIGINT as a request to shut down gracefully.

import Glibc
import Sluice
import SluiceGateway

/// The write end of the pipe the signal handler writes to; set once, before the handler is
/// installed, and only read afterwards.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// Turns SIGTERM and SIGINT — and SIGHUP, when the process reloads itself — into one call of
/// a handler on a thread of its own.
///
/// The signal handler writes the signal's number to a pipe (all it may safely do), and a
/// watcher thread blocked on the pipe calls the handler.
enum ShutdownSignal {
    /// Installs the handlers and starts the watcher thread, which calls `handler` for the
    /// first signal, telling it whether the signal was SIGHUP (only caught when
    /// `reloadsOnHangUp`). A second signal while shutting down ends the process at once.
    static func watch(reloadsOnHangUp: Bool = false, _ handler: @escaping @Sendable (_ reload: Bool) -> Void) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        signalPipeWriteEnd = ends[1]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            var byte = UInt8(truncatingIfNeeded: signal)
            _ = write(signalPipeWriteEnd, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGINT, &action, nil)
        if reloadsOnHangUp {
            sigaction(SIGHUP, &action, nil)
        }
        let readEnd = ends[0]
        WorkerThread.start {
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
            handler(Int32(byte) == SIGHUP)
            while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
            ErrorLog.standardError.write("sluice: second signal during shutdown: exiting now")
            _exit(1)
        }
    }
}
