// LoopbackPort.swift — a TCP port on 127.0.0.1 that nothing listens on.
import Foundation

/// TCP ports for servers under test.
public enum LoopbackPort {
    /// A TCP port on 127.0.0.1 that was free at the moment of the call: the kernel's
    /// choice for a socket bound to port 0, which is then closed.
    ///
    /// Another process may take the port before the server binds it; the launchers in
    /// this module retry with a new port when a server reports "Address already in use".
    public static func unused() throws -> Int {
        let descriptor = try LoopbackAddress.newStreamSocket()
        defer { close(descriptor) }
        var address = try LoopbackAddress.make(host: "127.0.0.1", port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            throw HarnessError.systemCall("bind(127.0.0.1:0)", errno: errno)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(descriptor, $0, &length)
            }
        }
        guard named == 0 else {
            throw HarnessError.systemCall("getsockname", errno: errno)
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
