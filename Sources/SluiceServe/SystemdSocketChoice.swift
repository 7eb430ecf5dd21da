// Which systemd socket a FastCGI responder serves when it is asked for one by name.

import SluiceSystemd

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A FastCGI responder serves one socket, descriptor 3 (``SluiceFastCGI/Listener/systemd``).
/// Asked for a name (`--listen-fd-name`), the first socket that has it is moved there and the
/// other passed sockets are closed in this process (systemd keeps its own copies), so that
/// worker processes do not inherit them.
enum SystemdSocketChoice {
    static func moveToFirst(named name: String) throws {
        let passed = try SystemdSockets.passed()
        let chosen = try passed.named(name)[0]
        if chosen.descriptor != 3 {
            guard dup2(chosen.descriptor, 3) == 3 else {
                throw SystemdSocketMoveFailed(descriptor: chosen.descriptor, errno: errno)
            }
        }
        for socket in passed.sockets where socket.descriptor != 3 {
            close(socket.descriptor)
        }
        setenv("LISTEN_FDS", "1", 1)
        setenv("LISTEN_FDNAMES", name, 1)
    }
}

/// The chosen socket could not be moved to descriptor 3.
struct SystemdSocketMoveFailed: Error, CustomStringConvertible {
    let descriptor: Int32
    let errno: Int32

    var description: String { "cannot move systemd socket \(descriptor) to descriptor 3: \(String(cString: strerror(errno)))" }
}
