// The listening sockets systemd hands over under socket activation.

import SluiceSystemd

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Socket activation (sd_listen_fds_with_names(3)): systemd passes listening sockets from
/// descriptor 3, says how many in `LISTEN_FDS` for the process `LISTEN_PID`, and names them in
/// `LISTEN_FDNAMES`.
enum SystemdSocket {
    /// The descriptors of the passed sockets named `name`, or of all of them, each made
    /// close-on-exec: a program the application starts must not hold the server's sockets.
    static func descriptors(named name: String?) throws -> [CInt] {
        let chosen = try SystemdSockets.passed().named(name)
        for socket in chosen {
            _ = fcntl(socket.descriptor, F_SETFD, FD_CLOEXEC)
        }
        return chosen.map(\.descriptor)
    }
}
