// sd_listen_fds_with_names(3) without libsystemd: the listening sockets systemd passed, with
// their names.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The sockets systemd passes under socket activation: descriptors from 3 on, as many as
/// `LISTEN_FDS` says, for the process `LISTEN_PID` names, each with its name from the
/// colon-separated `LISTEN_FDNAMES` (the socket unit's `FileDescriptorName=`, or the unit's
/// own name by default; `unknown` when the variable is unset, as sd_listen_fds_with_names(3)
/// says).
public struct SystemdSockets: Sendable, Equatable {
    /// One passed socket.
    public struct Socket: Sendable, Equatable {
        /// The socket's file descriptor in this process.
        public let descriptor: Int32
        /// Its name in `LISTEN_FDNAMES`, or `unknown` when that variable is unset.
        public let name: String
    }

    /// Why the environment passes no socket, or none that was asked for.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// `LISTEN_FDS` and `LISTEN_PID` do not name this process, or pass no socket.
        case noneFor(pid: Int32)
        /// `LISTEN_FDNAMES` has a different number of names than `LISTEN_FDS` sockets.
        case namesDisagree(names: Int, sockets: Int)
        /// No passed socket has the name asked for.
        case noneNamed(String, names: [String])

        /// The failure as a sentence for the log.
        public var description: String {
            switch self {
            case let .noneFor(pid): "no systemd socket: LISTEN_FDS and LISTEN_PID do not pass any to process \(pid)"
            case let .namesDisagree(names, sockets): "LISTEN_FDNAMES names \(names) sockets, LISTEN_FDS passes \(sockets)"
            case let .noneNamed(name, names): "no systemd socket is named \"\(name)\" (LISTEN_FDNAMES: \(names.joined(separator: ":")))"
            }
        }
    }

    /// The passed sockets, in descriptor order.
    public let sockets: [Socket]

    /// Reads the sockets from the variables `environment` returns for a name, for process `pid`.
    public init(environment: (String) -> String?, pid: Int32) throws(Failure) {
        guard let listeningPID = environment("LISTEN_PID").flatMap({ Int32($0) }), listeningPID == pid,
            let count = environment("LISTEN_FDS").flatMap({ Int($0) }), count >= 1
        else {
            throw .noneFor(pid: pid)
        }
        var names = Array(repeating: "unknown", count: count)
        if let list = environment("LISTEN_FDNAMES") {
            let given = list.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard given.count == count else { throw .namesDisagree(names: given.count, sockets: count) }
            names = given
        }
        sockets = names.enumerated().map { Socket(descriptor: 3 + Int32($0.offset), name: $0.element) }
    }

    /// The sockets systemd passed to this process.
    public static func passed() throws(Failure) -> SystemdSockets {
        try SystemdSockets(environment: { getenv($0).map { String(cString: $0) } }, pid: getpid())
    }

    /// The sockets named `name`, in descriptor order — several sockets may share a name — or
    /// all of them when `name` is `nil`.
    public func named(_ name: String?) throws(Failure) -> [Socket] {
        guard let name else { return sockets }
        let matching = sockets.filter { $0.name == name }
        guard !matching.isEmpty else { throw .noneNamed(name, names: sockets.map(\.name)) }
        return matching
    }
}
