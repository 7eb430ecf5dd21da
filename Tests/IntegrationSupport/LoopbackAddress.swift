// LoopbackAddress.swift — IPv4 socket addresses and plain TCP connects, shared by the
// port finder, the readiness checks and the raw-socket client.
import Foundation

/// Helpers for TCP sockets on an IPv4 host (in practice 127.0.0.1).
enum LoopbackAddress {
    /// The `sockaddr_in` for `host` (dotted IPv4) and `port`.
    static func make(host: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw HarnessError("not an IPv4 address: \(host)")
        }
        return address
    }

    /// A new TCP socket, close-on-exec so that no server started meanwhile inherits it.
    static func newStreamSocket() throws -> Int32 {
        #if os(Linux)
        let type = Int32(SOCK_STREAM.rawValue)
        #else
        let type = SOCK_STREAM
        #endif
        let descriptor = socket(AF_INET, type, 0)
        guard descriptor >= 0 else {
            throw HarnessError.systemCall("socket(AF_INET, SOCK_STREAM)", errno: errno)
        }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        return descriptor
    }

    /// Connects `descriptor` to `address`; returns `errno` on failure, 0 on success.
    static func connect(_ descriptor: Int32, to address: sockaddr_in) -> Int32 {
        var address = address
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Foundation.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0 ? 0 : errno
    }

    /// Whether something accepts a TCP connection on `host:port` right now. The
    /// connection is closed at once; on loopback a refused connect returns immediately.
    static func acceptsConnections(host: String, port: Int) -> Bool {
        guard let address = try? make(host: host, port: port),
            let descriptor = try? newStreamSocket()
        else {
            return false
        }
        defer { close(descriptor) }
        return connect(descriptor, to: address) == 0
    }
}
