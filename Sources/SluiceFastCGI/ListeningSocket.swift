// Opening the listening socket and accepting connections on it.

#if os(Linux)
import CEventPoll
import SluiceLifecycle
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The socket the front server connects to, shared by every worker thread (and, with
/// prefork, every worker process).
struct ListeningSocket: Sendable {
    /// The descriptor.
    let descriptor: Int32
    /// The peer addresses TCP connections are accepted from (`FCGI_WEB_SERVER_ADDRS`, FastCGI
    /// 1.0 section 3.2); empty accepts every peer.
    var allowedPeers: Set<String> = Self.webServerAddresses()
    /// Whether this is a supervised worker process's copy, which outlives the process: the
    /// supervisor and the other workers (or the next image, after a reload) accept on it.
    var isShared = false
    /// Whether this process bound it — not systemd, a spawner or a previous image — and so
    /// may change it for good; and the path of a unix socket it bound.
    private(set) var isBoundHere = false
    private(set) var boundPath: String?

    /// Opens or adopts the socket the address names — or, after a reload, the socket the
    /// previous image of the process listened on (``Reload``).
    static func open(_ address: ListenAddress, socketMode: UInt32) throws(ListenerError) -> ListeningSocket {
        if let inherited = Reload.inheritedSocket() { return inherited }
        switch address {
        case .automatic:
            if let socket = systemdSocket() { return socket }
            if ListenAddress.isListeningSocket(0) { return ListeningSocket(descriptor: 0) }
            throw .noListener
        case let .tcp(host, port):
            return try bound(host: host, port: port)
        case let .unixSocket(path):
            var socket = try bound(path: path)
            guard chmod(path, mode_t(socketMode)) == 0 else { throw .cannotOpen(path, errno) }
            socket.boundPath = path
            return socket
        case .inherited:
            guard ListenAddress.isListeningSocket(0) else { throw .notListening(0) }
            return ListeningSocket(descriptor: 0)
        case .systemdSocket:
            guard let socket = systemdSocket() else { throw .noSystemdSocket }
            return socket
        }
    }

    /// How many connections the kernel queues while every worker is busy.
    static let backlog: Int32 = 1024

    /// A TCP socket bound to `host:port` and listening; an empty host binds every IPv4
    /// interface, a name or an address (IPv6 in brackets or not) the first address it has.
    private static func bound(host: String, port: Int) throws(ListenerError) -> ListeningSocket {
        let name = "\(host):\(port)"
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = host.isEmpty ? AF_INET : AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let unbracketed = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let lookup = getaddrinfo(host.isEmpty ? nil : unbracketed, String(port), &hints, &found)
        guard lookup == 0, let address = found else { throw .cannotOpen(name, EADDRNOTAVAIL) }
        defer { freeaddrinfo(found) }
        let descriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .cannotOpen(name, errno) }
        var on: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        return try listening(descriptor, at: address.pointee.ai_addr, length: address.pointee.ai_addrlen, describing: name)
    }

    /// A unix socket created at `path` and listening; a stale socket there is removed first.
    private static func bound(path: String) throws(ListenerError) -> ListeningSocket {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        guard path.utf8.count < MemoryLayout.size(ofValue: address.sun_path) else { throw .cannotOpen(path, ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        var status = stat()
        if lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFSOCK {
            unlink(path)
        }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .cannotOpen(path, errno) }
        return try withUnsafePointer(to: &address) { pointer throws(ListenerError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic throws(ListenerError) in
                try listening(descriptor, at: generic, length: socklen_t(MemoryLayout<sockaddr_un>.size), describing: path)
            }
        }
    }

    /// Binds `descriptor` to `address` and listens; closes it when either fails.
    private static func listening(
        _ descriptor: Int32, at address: UnsafePointer<sockaddr>, length: socklen_t, describing name: String
    ) throws(ListenerError) -> ListeningSocket {
        guard bind(descriptor, address, length) == 0, Glibc.listen(descriptor, backlog) == 0 else {
            let code = errno
            close(descriptor)
            throw .cannotOpen(name, code)
        }
        var socket = ListeningSocket(descriptor: descriptor)
        socket.isBoundHere = true
        return socket
    }

    /// Descriptor 3 when systemd passed sockets to this process (`LISTEN_PID` is ours); the
    /// variables are removed so a child process does not take them for its own.
    private static func systemdSocket() -> ListeningSocket? {
        guard ListenAddress.systemdPassedSockets() else { return nil }
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        _ = fcntl(3, F_SETFD, FD_CLOEXEC)
        return ListeningSocket(descriptor: 3)
    }

    /// Makes ``acceptWaiting(timeout:)`` return at once when no connection waits: with several
    /// workers woken for one connection, all but one find none.
    func makeNonBlocking() {
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
    }

    /// The next connection waiting to be accepted, with the read timeout set on its reads and
    /// writes; `nil` when none is (another worker took it), or the peer is not allowed.
    func acceptWaiting(timeout: Duration) -> Int32? {
        if case let .connection(connection) = accept(timeout: timeout) { connection } else { nil }
    }

    /// What an `accept` found.
    enum Accepted {
        /// A connection, with the read timeout set on its reads and writes.
        case connection(Int32)
        /// The queue is empty.
        case none
        /// A connection from a peer not allowed, closed; or accepting failed for now.
        case refused
    }

    /// Accepts the next connection waiting, without blocking.
    func accept(timeout: Duration) -> Accepted {
        while true {
            let connection = accept4(descriptor, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
            if connection >= 0 {
                guard isAllowed(connection) else {
                    close(connection)
                    return .refused
                }
                Self.setTimeouts(connection, timeout)
                return .connection(connection)
            }
            switch errno {
            case EINTR, ECONNABORTED, EPROTO:
                continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                // Out of descriptors or memory: let other requests finish, then try again.
                usleep(10_000)
                return .refused
            case EAGAIN, EWOULDBLOCK:
                return .none
            default:
                return .refused
            }
        }
    }

    /// Stops new clients connecting while the queue is accepted, so that closing the socket
    /// afterwards resets no connection a client may have sent a request on (Spec LIFE-5): a
    /// TCP socket stops taking handshakes (``HandshakeFilter``), a unix socket's path is
    /// removed. Only for a socket bound here and not shared: one from systemd or another
    /// process outlives this one, filter and all. Returns whether it was done.
    func stopNewConnections() -> Bool {
        guard isBoundHere, !isShared else { return false }
        if let boundPath { return unlink(boundPath) == 0 }
        var filter = HandshakeFilter.refusingNewConnections
        let size = socklen_t(MemoryLayout<HandshakeFilter>.size)
        return setsockopt(descriptor, HandshakeFilter.optionLevel, HandshakeFilter.attachOption, &filter, size) == 0
    }

    /// Whether the connection's peer may talk to the responder: any unix-socket peer, and a
    /// TCP peer whose address is in ``allowedPeers`` when that list is not empty.
    private func isAllowed(_ connection: Int32) -> Bool {
        guard !allowedPeers.isEmpty else { return true }
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let known = withUnsafeMutablePointer(to: &address) { pointer -> Bool in
            let generic = UnsafeMutableRawPointer(pointer)
            guard getpeername(connection, generic.assumingMemoryBound(to: sockaddr.self), &length) == 0 else { return false }
            switch Int32(pointer.pointee.ss_family) {
            case AF_INET:
                return inet_ntop(AF_INET, generic + MemoryLayout<sockaddr_in>.offset(of: \.sin_addr)!, &text, socklen_t(text.count)) != nil
            case AF_INET6:
                return inet_ntop(AF_INET6, generic + MemoryLayout<sockaddr_in6>.offset(of: \.sin6_addr)!, &text, socklen_t(text.count)) != nil
            default:
                text = [0]
                return true
            }
        }
        let peer = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return known && (peer.isEmpty || allowedPeers.contains(peer))
    }

    /// The comma-separated addresses in `FCGI_WEB_SERVER_ADDRS`.
    private static func webServerAddresses() -> Set<String> {
        guard let list = getenv("FCGI_WEB_SERVER_ADDRS") else { return [] }
        return Set(String(cString: list).split(separator: ",").map { String($0.filter { $0 != " " }) })
    }

    /// Stops listening: on Linux, shutting a listening socket down for reading refuses new
    /// connections and fails pending and later `accept` calls. A shared socket is left as it
    /// is: one worker process stopping (recycled, or replaced in a reload) must not stop the
    /// others; the supervisor shuts it down when they all stop.
    func stopAccepting() {
        guard !isShared else { return }
        _ = shutdown(descriptor, Int32(SHUT_RD))
    }

    /// Bounds how long one read or write on a connection blocks.
    private static func setTimeouts(_ connection: Int32, _ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        let size = socklen_t(MemoryLayout<timeval>.size)
        _ = setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &value, size)
        _ = setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &value, size)
    }
}

/// The responder could not get a listening socket.
public enum ListenerError: Error, Hashable, CustomStringConvertible {
    /// Neither systemd nor the parent process passed a socket, and no address was given.
    case noListener
    /// Binding or listening on the address failed with this `errno`.
    case cannotOpen(String, Int32)
    /// The descriptor is not a listening socket.
    case notListening(Int32)
    /// systemd passed no socket to this process.
    case noSystemdSocket

    /// A sentence saying what is wrong and what to do.
    public var description: String {
        switch self {
        case .noListener:
            "no listening socket: give an address (127.0.0.1:9000 or /run/app.sock), start the program under "
                + "spawn-fcgi or a server that passes one on descriptor 0, or use systemd socket activation"
        case let .cannotOpen(address, code): "cannot listen on \(address): \(String(cString: strerror(code)))"
        case let .notListening(descriptor): "descriptor \(descriptor) is not a listening socket"
        case .noSystemdSocket: "systemd passed no socket (LISTEN_FDS/LISTEN_PID are not set for this process)"
        }
    }
}

#endif
