// SIGHUP for the standalone HTTP server: finish the requests in progress, then re-execute the
// program on the same listening socket, which stays open throughout (Docs/running.md).

import Dispatch
import Logging
import SluiceHTTP
import SluiceSystemd
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reloading the standalone server.
///
/// On SIGHUP the process keeps a duplicate of its listening socket, stops gracefully as for
/// SIGTERM (Spec LIFE-5: in-flight requests complete; the listener closes, but the duplicate
/// keeps the socket listening, so new connections wait in its queue instead of being
/// refused), then re-executes the program as it was started (`argv[0]`) with the duplicate's
/// number in `SLUICE_LISTEN_FD`. The new image serves that socket instead of binding again.
/// The process id stays the same.
///
/// Under socket activation every socket systemd passed is kept, served or not, and put back on
/// its descriptor before the program is re-executed with `LISTEN_FDS` and `LISTEN_FDNAMES` as
/// they were: the new image chooses among them as the first did.
final class HTTPReload: Sendable {
    static let variable = "SLUICE_LISTEN_FD"

    /// The duplicate of the listening socket, once SIGHUP came; -1 before.
    private let kept = Atomic<Int32>(-1)
    /// The duplicates of the sockets systemd passed, in descriptor order, once SIGHUP came.
    private let keptSystemdSockets = Mutex<[Int32]>([])
    /// How many sockets systemd passed, when the server serves systemd's sockets.
    private let systemdSocketCount: Int?
    // Set once in init and only kept alive: the source runs its handler on its own queue.
    nonisolated(unsafe) private let source: any DispatchSourceSignal
    private let logger: Logger

    /// Whether SIGHUP came: the listening socket is kept for the program re-executed on it.
    var isHandingOnSocket: Bool {
        kept.load(ordering: .relaxed) >= 0 || !keptSystemdSockets.withLock(\.isEmpty)
    }

    /// Catches SIGHUP from now on: it keeps the socket and raises SIGTERM, which stops the
    /// server gracefully. `address` is where the server listens.
    init(logger: Logger, address: ListenAddress) {
        self.logger = logger
        switch address {
        case .systemdSocket, .systemdSockets: systemdSocketCount = (try? SystemdSockets.passed())?.sockets.count
        case .tcp, .unixSocket: systemdSocketCount = nil
        }
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { [self] in keepSocketAndStop() }
        source.resume()
    }

    /// SIGHUP: keeps a duplicate of the listening socket and stops the server gracefully.
    private func keepSocketAndStop() {
        if let count = systemdSocketCount {
            let isFirst = keptSystemdSockets.withLock { kept in
                guard kept.isEmpty else { return false }
                // Above the passed descriptors, so that putting them back overwrites no duplicate.
                kept = (0..<count).map { fcntl(3 + Int32($0), F_DUPFD_CLOEXEC, 3 + Int32(count)) }
                return true
            }
            guard isFirst else { return }
        } else {
            guard kept.load(ordering: .relaxed) < 0, let listening = Self.listeningDescriptor() else { return }
            kept.store(fcntl(listening, F_DUPFD_CLOEXEC, 3), ordering: .relaxed)
        }
        SystemdNotifier.reloading()
        logger.notice("SIGHUP: finishing the requests in progress, then re-executing on the same socket")
        kill(getpid(), SIGTERM)
    }

    /// After the server stopped: re-executes the program when SIGHUP asked for it (returns
    /// only when that failed, which it logs).
    func reexecuteIfRequested() {
        let systemdSockets = keptSystemdSockets.withLock { $0 }
        if !systemdSockets.isEmpty {
            for (index, duplicate) in systemdSockets.enumerated() {
                // dup2 leaves the copy without close-on-exec: the new image inherits it.
                dup2(duplicate, 3 + Int32(index))
                close(duplicate)
            }
        } else {
            let descriptor = kept.load(ordering: .relaxed)
            guard descriptor >= 0 else { return }
            _ = fcntl(descriptor, F_SETFD, 0)
            setenv(Self.variable, "\(descriptor)", 1)
        }
        let arguments = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        execvp(arguments[0], &argv)
        logger.critical("cannot re-execute \(arguments[0]) for a reload: \(String(cString: strerror(errno)))")
    }

    /// The process's listening socket: an HTTP server has one.
    private static func listeningDescriptor() -> Int32? {
        guard let directory = opendir(Platform.descriptorDirectory) else { return nil }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let descriptor = Int32(name), descriptor > 2 else { continue }
            var accepting: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            if getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &size) == 0 && accepting != 0 {
                return descriptor
            }
        }
        return nil
    }

    /// After a reload: the socket the previous image passed on becomes this process's
    /// systemd-style socket (descriptor 3, `LISTEN_FDS`), which the server takes instead of
    /// binding `address` again. Call before anything else opens a descriptor.
    static func adoptInheritedSocket(replacing address: HTTPListenAddress) -> HTTPListenAddress {
        defer { unsetenv(variable) }
        guard let text = getenv(variable), let descriptor = Int32(String(cString: text)), descriptor >= 3 else { return address }
        if descriptor != 3 {
            dup2(descriptor, 3)
            close(descriptor)
        }
        setenv("LISTEN_FDS", "1", 1)
        setenv("LISTEN_PID", "\(getpid())", 1)
        unsetenv("LISTEN_FDNAMES")
        return .systemdSocket
    }
}
