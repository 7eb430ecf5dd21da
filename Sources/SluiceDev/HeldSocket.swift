// The listening socket the dev server keeps across every restart of the app.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP socket bound and listening for the dev server's whole life; each run of the app gets
/// a copy as descriptor 3.
struct HeldSocket {
    /// A numeric host and a port.
    struct Address {
        var host: String
        var port: UInt16

        /// `HOST:PORT`, `[IPv6]:PORT` or `PORT` (127.0.0.1); `localhost` means 127.0.0.1.
        init?(parsing text: String) {
            let colon = text.lastIndex(of: ":")
            let portText = colon.map { text[text.index(after: $0)...] } ?? text[...]
            guard let port = UInt16(portText) else { return nil }
            var host = colon.map { String(text[..<$0]) } ?? "127.0.0.1"
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            if host == "localhost" { host = "127.0.0.1" }
            self.host = host
            self.port = port
        }
    }

    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    /// The descriptor: above 3, close-on-exec (children get it through dup2 only).
    let descriptor: Int32

    init(listening address: Address) throws {
        let isIPv6 = address.host.contains(":")
        let socket = Platform.streamSocket(family: isIPv6 ? AF_INET6 : AF_INET)
        guard socket >= 0 else { throw Failed(description: "socket: \(String(cString: strerror(errno)))") }
        var on: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32
        if isIPv6 {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = address.port.bigEndian
            guard inet_pton(AF_INET6, address.host, &socketAddress.sin6_addr) == 1 else { throw Failed(description: "not an IPv6 address: \(address.host)") }
            bound = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = address.port.bigEndian
            guard inet_pton(AF_INET, address.host, &socketAddress.sin_addr) == 1 else { throw Failed(description: "not an IPv4 address: \(address.host)") }
            bound = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard bound == 0, systemListen(socket, 511) == 0 else {
            let reason = String(cString: strerror(errno))
            close(socket)
            throw Failed(description: "cannot listen on \(address.host):\(address.port): \(reason)")
        }
        // Never descriptor 3 itself: dup2(3, 3) would leave close-on-exec set in the child.
        descriptor = fcntl(socket, F_DUPFD_CLOEXEC, 10)
        close(socket)
    }
}
