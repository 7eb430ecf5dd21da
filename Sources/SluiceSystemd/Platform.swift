// The C library calls this module makes that Linux and Darwin spell differently, in one
// place. systemd is Linux's; elsewhere NOTIFY_SOCKET is never set, but the module compiles.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What differs between the platforms' C libraries, for sd_notify.
enum Platform {
    /// A unix datagram socket, closed on exec.
    static func datagramSocket() -> Int32 {
        #if os(Linux)
        return socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let descriptor = socket(AF_UNIX, SOCK_DGRAM, 0)
        if descriptor >= 0 { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return descriptor
        #endif
    }

    /// sendto(2)'s flag that makes a send fail instead of raising SIGPIPE; Darwin has none.
    static let noSignal: Int32 = {
        #if os(Linux)
        Int32(MSG_NOSIGNAL)
        #else
        0
        #endif
    }()
}
