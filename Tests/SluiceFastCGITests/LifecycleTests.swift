// Starting, listening and stopping: graceful shutdown, inherited sockets, prefork.

import Foundation
import Glibc
import IntegrationSupport
import Testing

@Suite("FastCGI lifecycle", .timeLimit(.minutes(2)))
struct LifecycleTests {
    @Test("[LIFE-2] [LIFE-5] SIGTERM: no new connections, the in-flight response completes whole within the default grace, exit 0")
    func gracefulShutdown() async throws {
        let battery = try await Battery()
        let path = battery.socketPath
        let pid = battery.process.pid
        let reply = try await battery.withConnection { client in
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/slow")))
            var reply = client.reply(timeout: .seconds(5), stopAfterOutput: "chunk 1")
            kill(pid, SIGTERM)
            let rest = client.reply(timeout: .seconds(10))
            reply.output += rest.output
            reply.ended = rest.ended
            return reply
        }
        #expect(reply.ended)
        #expect(reply.body == (1...5).map { "chunk \($0)\n" }.joined())
        let status = try await battery.process.waitForExit(timeout: .seconds(10))
        #expect(status == .exited(code: 0))
        #expect((try? FastCGIClient(path: path)) == nil)
    }

    @Test(
        "[LIFE-5] connections queued while the only worker is busy when SIGTERM comes are accepted and answered; new ones are refused",
        arguments: [false, true]
    )
    func queuedConnectionsAnswered(overTCP: Bool) async throws {
        let battery = try await Battery(["--workers", "1"], overTCP: overTCP)
        let pid = battery.process.pid
        let request = FastCGIRecord.request(FastCGIRecord.params("GET", "/app/sleep?ms=1"))
        let busy = Task { try await battery.exchange(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/sleep?ms=1000"))) }
        try await Task.sleep(for: .milliseconds(300))
        // Connected, their requests sent, and in the listener's queue: no worker is free to accept them.
        let queued = (0..<8).map { _ in Task { try await battery.exchange(request) } }
        try await Task.sleep(for: .milliseconds(300))
        kill(pid, SIGTERM)
        #expect(try await busy.value.body == "slept\n")
        for (index, connection) in queued.enumerated() {
            let reply = try await connection.value
            #expect(reply.ended && reply.body == "slept\n", "queued connection \(index): \(reply)")
        }
        let status = try await battery.process.waitForExit(timeout: .seconds(10))
        #expect(status == .exited(code: 0))
        #expect((try? (battery.tcpPort.map { try FastCGIClient(port: $0) } ?? FastCGIClient(path: battery.socketPath))) == nil)
    }

    @Test("[LIFE-2] a request still running after the grace period is cancelled, and the process exits 0")
    func graceRunsOut() async throws {
        let battery = try await Battery(["--shutdown-grace", "1"])
        let pid = battery.process.pid
        _ = try await battery.withConnection { client in
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/sleep?ms=60000")))
            Thread.sleep(forTimeInterval: 0.3)
            kill(pid, SIGTERM)
            return client.reply(timeout: .seconds(8))
        }
        let status = try await battery.process.waitForExit(timeout: .seconds(10))
        #expect(status == .exited(code: 0))
    }

    @Test("[LIFE-2] [LIFE-5] a second SIGTERM during the stop cancels the request still running at once; shutdown() runs, exit 0")
    func secondSignal() async throws {
        // HTTPBattery is serve(app) with --shutdown-marker: shutdown() creates the file.
        let program = Battery.executablePath.replacingOccurrences(of: "/FastCGIBattery", with: "/HTTPBattery")
        let battery = try await Battery(["--shutdown-grace", "300", "--shutdown-marker", "shutdown-ran"], executable: program)
        let pid = battery.process.pid
        let signalled = try await battery.withConnection { client in
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/sleep?ms=60000")))
            Thread.sleep(forTimeInterval: 0.3)
            let signalled = ContinuousClock.now
            kill(pid, SIGTERM)
            Thread.sleep(forTimeInterval: 0.5)
            kill(pid, SIGTERM)
            _ = client.reply(timeout: .seconds(50))
            return signalled
        }
        let status = try await battery.process.waitForExit(timeout: .seconds(50))
        #expect(status == .exited(code: 0))
        // Far within the 300 s grace period: a wide margin, for a loaded machine.
        #expect(ContinuousClock.now - signalled < .seconds(50))
        #expect(FileManager.default.fileExists(atPath: battery.directory.appending("shutdown-ran").path))
        #expect(battery.standardError.contains("again during the graceful stop"), "\(battery.standardError)")
    }

    @Test("[FCGI-8] an inherited listening socket on descriptor 0 (spawn-fcgi) is found without options", .requires(.spawnFCGI))
    func inheritedSocket() async throws {
        let directory = try TemporaryDirectory()
        let socket = directory.appending("app.sock").path
        let process = try ManagedProcess(
            name: "spawn-fcgi", executable: "spawn-fcgi",
            arguments: ["-n", "-s", socket, "-M", "0666", "--", Battery.executablePath, "--mount", "/app"],
            workingDirectory: directory.url
        )
        defer { process.stop() }
        try await process.waitForUnixSocket(path: socket)
        let reply = try await onOwnThread {
            let client = try FastCGIClient(path: socket)
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/spawned")))
            return client.reply()
        }
        #expect(reply.body.contains("pathInfo: /spawned\n"))
        #expect(process.stop() == .exited(code: 0))
    }

    @Test("systemd socket activation: the socket on descriptor 3, LISTEN_FDS and LISTEN_PID", .requires(.spawnFCGI))
    func systemdSocket() async throws {
        // systemd's protocol without systemd: spawn-fcgi makes the listening socket (on
        // descriptor 0), the shell moves it to 3 and sets the variables for its own pid,
        // which the responder keeps when the shell execs it.
        let directory = try TemporaryDirectory()
        let socket = directory.appending("app.sock").path
        let activation = #"exec 3<&0 0</dev/null; LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" "$@""#
        let process = try ManagedProcess(
            name: "activated", executable: "spawn-fcgi",
            arguments: [
                "-n", "-s", socket, "-M", "0666", "--", "/bin/sh", "-c", activation,
                Battery.executablePath, "--fastcgi", "systemd", "--mount", "/app",
            ],
            workingDirectory: directory.url
        )
        defer { process.stop() }
        try await process.waitForUnixSocket(path: socket)
        let reply = try await onOwnThread {
            let client = try FastCGIClient(path: socket)
            client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/activated")))
            return client.reply()
        }
        #expect(reply.body.contains("pathInfo: /activated\n"))
        #expect(process.stop() == .exited(code: 0))
    }

    @Test("[REQ-14] prefork: worker processes share the socket; SIGTERM to the parent stops them all, exit 0")
    func prefork() async throws {
        let battery = try await Battery(["--processes", "2", "--workers", "1"])
        let path = battery.socketPath
        let pids = try await onOwnThread {
            // Two requests at once: one worker per process, so each process serves one.
            let first = try FastCGIClient(path: path)
            let second = try FastCGIClient(path: path)
            first.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/sleep?ms=500")))
            second.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/sleep?ms=500")))
            _ = first.reply()
            _ = second.reply()
            var seen = Set<String>()
            for _ in 0..<10 {
                let client = try FastCGIClient(path: path)
                client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/app/who")))
                let body = client.reply().body
                if let line = body.split(separator: "\n").first(where: { $0.hasPrefix("pid: ") }) { seen.insert(String(line)) }
                if body.contains("isConcurrent: true") { seen.insert("concurrent") }
            }
            return seen
        }
        #expect(!pids.contains("concurrent"))
        #expect(pids.count >= 1)
        #expect(!pids.contains("pid: \(battery.process.pid)"))
        #expect(battery.process.stop() == .exited(code: 0))
    }

    @Test("[FCGI-8] FCGI_WEB_SERVER_ADDRS: TCP peers not on the list are disconnected at once")
    func webServerAddresses() async throws {
        let directory = try TemporaryDirectory()
        for (list, served) in [("10.9.9.9", false), ("10.9.9.9,127.0.0.1", true)] {
            let port = try LoopbackPort.unused()
            var environment = ManagedProcess.minimalEnvironment(home: directory.url)
            environment["FCGI_WEB_SERVER_ADDRS"] = list
            let process = try ManagedProcess(
                name: "battery", executable: Battery.executablePath, arguments: ["--fastcgi", "127.0.0.1:\(port)"],
                environment: environment, workingDirectory: directory.url
            )
            defer { process.stop() }
            try await process.waitForPort(port: port)
            let reply = try await onOwnThread {
                let client = try FastCGIClient(port: port)
                client.send(FastCGIRecord.request(FastCGIRecord.params("GET", "/listed")))
                return client.reply(timeout: .seconds(5))
            }
            #expect(reply.ended == served, "FCGI_WEB_SERVER_ADDRS=\(list)")
        }
    }
}
