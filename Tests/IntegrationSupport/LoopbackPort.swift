// LoopbackPort.swift — a TCP port on 127.0.0.1 that nothing listens on.
import Foundation
import Synchronization

/// TCP ports for servers under test.
///
/// A port is handed out before the server under test binds it, so something else may
/// take it in between. The kernel's own choice (a socket bound to port 0) is a port of
/// the ephemeral range, the range every outgoing connection takes its local port from:
/// with curl, nginx and the batteries connecting all the while, one of them took a
/// port handed out that way before its server could bind it ("Address already in use"
/// in a clean-clone CI run). So ports come from below that range, where only an
/// explicit bind lands, and each is handed out once per test process.
public enum LoopbackPort {
    /// A TCP port on 127.0.0.1 that was free at the moment of the call and that this
    /// process has not handed out before.
    ///
    /// The launchers in this module still retry with a new port when a server reports
    /// "Address already in use" (another process may bind any port at any time).
    public static func unused() throws -> Int {
        let candidates = try nonEphemeralPorts()
        for _ in 0..<candidates.count {
            let port = next.withLock { next in
                defer { next += 1 }
                return candidates.lowerBound + next % candidates.count
            }
            if try isFree(port) {
                return port
            }
        }
        throw HarnessError("no free TCP port on 127.0.0.1 in \(candidates)")
    }

    /// How many ports were handed out, from a random start so that two test processes
    /// running side by side are unlikely to walk the same ports in step.
    private static let next = Mutex(Int.random(in: 0..<10_000))

    /// The lowest port outgoing connections never take, when `ip_local_port_range` cannot be read.
    private static let defaultEphemeralStart = 32768

    /// The ports from 10000 up to the start of the kernel's ephemeral range.
    private static func nonEphemeralPorts() throws -> Range<Int> {
        let setting = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)
        let start = setting?.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? defaultEphemeralStart
        guard start > 11_000 else {
            throw HarnessError("the ephemeral port range starts at \(start), leaving no ports for servers under test")
        }
        return 10_000..<start
    }

    /// Whether a socket can bind `port` on 127.0.0.1 without `SO_REUSEADDR`: nothing
    /// listens on it, holds it bound, or lingers on it in `TIME_WAIT`.
    private static func isFree(_ port: Int) throws -> Bool {
        let descriptor = try LoopbackAddress.newStreamSocket()
        defer { close(descriptor) }
        var address = try LoopbackAddress.make(host: "127.0.0.1", port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            if errno == EADDRINUSE { return false }
            throw HarnessError.systemCall("bind(127.0.0.1:\(port))", errno: errno)
        }
        return true
    }
}
