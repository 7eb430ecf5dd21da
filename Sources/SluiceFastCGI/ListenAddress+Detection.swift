// What a process was started with: the check ``ListenAddress/automatic`` makes, for an entry
// point that chooses between protocols. Portable: it runs wherever serve(app) does.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ListenAddress {
    /// The socket ``automatic`` would use, without opening it: ``systemdSocket`` when `LISTEN_FDS`
    /// and `LISTEN_PID` name this process, ``inherited`` when descriptor 0 is a listening
    /// socket (a FastCGI front server or spawn-fcgi started the process), else `nil`.
    ///
    /// An entry point that serves several protocols asks this first: a socket on descriptor 0
    /// means FastCGI, while a systemd socket could carry either protocol.
    public static func detected() -> ListenAddress? {
        if systemdPassedSockets() { return .systemdSocket }
        if isListeningSocket(0) { return .inherited }
        return nil
    }

    /// Whether `LISTEN_FDS` and `LISTEN_PID` say systemd passed this process sockets (sd_listen_fds(3)).
    static func systemdPassedSockets() -> Bool {
        guard let pidText = getenv("LISTEN_PID"), let fdsText = getenv("LISTEN_FDS"),
            Int32(String(cString: pidText)) == getpid(), let count = Int(String(cString: fdsText))
        else { return false }
        return count >= 1
    }

    /// Whether a descriptor is a socket that listens: `getpeername` fails with `ENOTCONN` on
    /// one (the FastCGI spec's own test), and `SO_ACCEPTCONN` confirms it.
    static func isListeningSocket(_ descriptor: Int32) -> Bool {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let peer = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(descriptor, $0, &length) }
        }
        guard peer != 0, errno == ENOTCONN else { return false }
        var accepting: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &size) == 0 && accepting != 0
    }
}
