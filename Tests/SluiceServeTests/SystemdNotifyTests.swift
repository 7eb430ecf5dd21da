// sd_notify under a fake systemd: a datagram socket named in NOTIFY_SOCKET receives READY,
// the watchdog's pings and STOPPING from HTTP, FastCGI and a prefork supervisor.

import Foundation
import Glibc
import IntegrationSupport
import Testing

/// A unix datagram socket standing in for systemd's notification socket.
final class FakeNotifySocket: @unchecked Sendable {
    let path: String
    private let descriptor: Int32

    init(in directory: TemporaryDirectory) throws {
        path = directory.appending("notify.sock").path
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard descriptor >= 0, bound == 0 else { throw HarnessError("cannot bind \(path): errno \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// Messages received until one contains `expected` or `timeout` passed; all of them.
    func messages(until expected: String, timeout: Duration = .seconds(15)) -> [String] {
        var received: [String] = []
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { continue }
            received.append(String(decoding: buffer[..<count], as: UTF8.self))
            if received.last!.contains(expected) { break }
        }
        return received
    }
}

@Suite("systemd notification", .timeLimit(.minutes(1)))
struct SystemdNotifyTests {
    /// Starts the probe with `arguments` under the fake socket and a 400 ms watchdog; checks
    /// READY (with `status`), a watchdog ping, then STOPPING after SIGTERM, and exit 0.
    func check(_ arguments: (TemporaryDirectory) throws -> [String], status: String) async throws {
        let directory = try TemporaryDirectory(label: "notify")
        let notify = try FakeNotifySocket(in: directory)
        var environment = ManagedProcess.minimalEnvironment(home: directory.url)
        environment["NOTIFY_SOCKET"] = notify.path
        environment["WATCHDOG_USEC"] = "400000"
        let probe = try HelloProcessTests.hello().replacingOccurrences(of: "/hello", with: "/probe")
        let server = try ManagedProcess(executable: probe, arguments: try arguments(directory), environment: environment, workingDirectory: directory.url)
        defer { server.stop() }
        let ready = try await onOwnThread { notify.messages(until: "READY=1") }
        #expect(ready.last == "READY=1\nSTATUS=\(status)")
        let pings = try await onOwnThread { notify.messages(until: "WATCHDOG=1", timeout: .seconds(5)) }
        #expect(pings.last == "WATCHDOG=1")
        kill(server.pid, SIGTERM)
        let stopping = try await onOwnThread { notify.messages(until: "STOPPING=1") }
        #expect(stopping.last == "STOPPING=1")
        #expect(try await server.waitForExit(timeout: .seconds(20)) == .exited(code: 0))
    }

    @Test("HTTP: READY=1 once listening, WATCHDOG=1 every WATCHDOG_USEC/2, STOPPING=1 on SIGTERM")
    func http() async throws {
        let port = try LoopbackPort.unused()
        try await check({ _ in ["--http", "127.0.0.1:\(port)"] }, status: "serving")
    }

    @Test("FastCGI, one process: READY=1 after startup(), the watchdog, STOPPING=1")
    func fastCGI() async throws {
        try await check({ ["--fastcgi", $0.appending("app.sock").path] }, status: "serving")
    }

    @Test("FastCGI prefork: the supervisor (systemd's main process) notifies, its workers do not")
    func prefork() async throws {
        try await check({ ["--fastcgi", $0.appending("app.sock").path, "--processes", "2"] }, status: "2 worker processes")
    }
}
