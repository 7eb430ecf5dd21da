// SIGHUP: the supervisor re-executes the program on the listening socket it holds, and the
// new image takes over from the old image's workers without refusing a connection.

#if os(Linux)
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import Sluice
import SluiceGateway
import SluiceSystemd
import Synchronization

/// Reloading a prefork responder (Docs/running.md, "Reloading").
///
/// The supervisor re-executes the program as it was started (`argv[0]`, looked up in `PATH`
/// without a slash), so a new binary at that path — or a symlink switched to a new release —
/// is what runs. The listening socket stays open throughout and is passed by number
/// (`SLUICE_LISTEN_FD`): connections that arrive meanwhile wait in its queue. The process
/// id does not change, and the old workers stay its children (`SLUICE_DRAINING_PIDS`): the
/// new image forks its workers, then sends the old ones SIGTERM, and they finish the
/// requests they hold (Spec LIFE-5) while the new ones accept.
enum Reload {
    static let listeningDescriptorVariable = "SLUICE_LISTEN_FD"
    static let drainingVariable = "SLUICE_DRAINING_PIDS"

    /// The worker processes of the image before a reload.
    struct PreviousWorkers {
        private(set) var processes: Set<pid_t>
        private(set) var toldToStop = false

        var isEmpty: Bool { processes.isEmpty }

        /// Tells each to stop gracefully.
        mutating func stop() {
            for process in processes { kill(process, SIGTERM) }
            toldToStop = true
        }

        /// Forgets an ended process; whether it was one of these.
        mutating func remove(_ process: pid_t) -> Bool {
            processes.remove(process) != nil
        }
    }

    /// The workers the previous image left, from the environment, which no longer names them.
    static func previousWorkers() -> PreviousWorkers {
        defer { unsetenv(drainingVariable) }
        guard let text = getenv(drainingVariable) else { return PreviousWorkers(processes: []) }
        return PreviousWorkers(processes: Set(String(cString: text).split(separator: ",").compactMap { pid_t($0) }))
    }

    /// Re-executes the program with the socket kept open and the workers named; returns only
    /// when that failed, which it logs, leaving everything as it was.
    static func reexecute(keeping socket: ListeningSocket, workers: Set<pid_t>) {
        let arguments = CommandLine.arguments
        _ = fcntl(socket.descriptor, F_SETFD, 0)
        setenv(listeningDescriptorVariable, "\(socket.descriptor)", 1)
        setenv(drainingVariable, workers.map(String.init).joined(separator: ","), 1)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        execvp(arguments[0], &argv)
        let failure = String(cString: strerror(errno))
        for pointer in argv { free(pointer) }
        unsetenv(listeningDescriptorVariable)
        unsetenv(drainingVariable)
        _ = fcntl(socket.descriptor, F_SETFD, FD_CLOEXEC)
        ErrorLog.standardError.write("sluice: cannot re-execute \(arguments[0]) for a reload: \(failure)")
    }

    /// The listening socket the previous image passed on, if this process is a reload; the
    /// variable is removed, and the descriptor closed on exec again.
    static func inheritedSocket() -> ListeningSocket? {
        defer { unsetenv(listeningDescriptorVariable) }
        guard let text = getenv(listeningDescriptorVariable), let descriptor = Int32(String(cString: text)),
            ListenAddress.isListeningSocket(descriptor)
        else { return nil }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        return ListeningSocket(descriptor: descriptor)
    }
}

/// SIGHUP in a responder that serves alone: it stops as for SIGTERM, but keeps its listening
/// socket listening, and ``FastCGI/main(_:configuration:logger:)`` then re-executes the program
/// on it (``Reload/reexecute(keeping:workers:)``) — as `serve`'s HTTP reload does.
final class HangUpReload: Sendable {
    private let requested = Atomic(false)
    // Set once in init and only kept alive: the source runs its handler on its own queue.
    nonisolated(unsafe) private let source: any DispatchSourceSignal

    /// Catches SIGHUP from now on: it notes the reload and raises SIGTERM, which stops the
    /// server gracefully (swift-service-lifecycle's signal handling).
    init(logger: Logger) {
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { [self] in
            guard !requested.exchange(true, ordering: .relaxed) else { return }
            SystemdNotifier.reloading()
            logger.notice("SIGHUP: finishing the requests in progress, then re-executing on the same socket")
            kill(getpid(), SIGTERM)
        }
        source.resume()
    }

    /// Whether SIGHUP asked for a reload.
    var isRequested: Bool { requested.load(ordering: .relaxed) }
}

#endif
