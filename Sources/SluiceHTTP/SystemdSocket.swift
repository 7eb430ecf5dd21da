// The listening socket systemd hands over under socket activation.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Socket activation (sd_listen_fds(3)): systemd passes listening sockets from descriptor 3
/// and says so in `LISTEN_FDS`, for the process `LISTEN_PID`.
enum SystemdSocket {
    /// Why there is no socket to take over.
    struct Missing: Error, CustomStringConvertible {
        var description: String { "no systemd socket: LISTEN_FDS and LISTEN_PID do not name this process" }
    }

    /// Descriptor 3, when the environment says systemd passed it to this process.
    static func descriptor() throws -> CInt {
        guard let pid = environment("LISTEN_PID").flatMap({ Int32($0) }), pid == getpid(),
            let count = environment("LISTEN_FDS").flatMap({ Int($0) }), count >= 1
        else {
            throw Missing()
        }
        _ = fcntl(3, F_SETFD, FD_CLOEXEC)
        return 3
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
