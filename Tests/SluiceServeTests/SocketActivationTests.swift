// Socket activation with several sockets, under systemd's own systemd-socket-activate: every
// socket served (HTTP), the ones named with --listen-fd-name (HTTP and FastCGI), a name that
// no socket has, and a reload that keeps them all (Docs/systemd.md).

import Foundation
import Glibc
import IntegrationSupport
import Testing

@Suite("Socket activation with several sockets", .timeLimit(.minutes(2)), .requires(.systemdSocketActivate, .curl))
struct SocketActivationTests {
    /// hello under systemd-socket-activate, one socket on each port named as `names` says,
    /// started with `arguments`. The program starts on the first connection, as with a socket
    /// unit.
    static func activate(_ ports: [Int], names: [String], _ arguments: [String], in directory: TemporaryDirectory) throws -> ManagedProcess {
        try ManagedProcess(
            name: "activated", executable: "systemd-socket-activate",
            arguments: ports.flatMap { ["-l", "127.0.0.1:\($0)"] } + ["--fdname=" + names.joined(separator: ":"), try HelloProcessTests.hello()]
                + arguments,
            workingDirectory: directory.url
        )
    }

    /// hello's answer to `/path` on `port`, retried while the sockets are not yet listening.
    static func fetch(_ path: String, port: Int) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(15)
        while true {
            do {
                return try await Curl.fetch("http://127.0.0.1:\(port)\(path)").text
            } catch let failure as CurlFailure where failure.exitCode == 7 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// How curl fails on `port` within a second: 28 when the socket is open but nobody
    /// accepts on it, 7 when it is closed; `nil` when it was answered.
    static func failure(port: Int) async throws -> Int32? {
        do {
            _ = try await Curl.fetch(CurlRequest("http://127.0.0.1:\(port)/", maxTime: .seconds(1)))
            return nil
        } catch let failure as CurlFailure {
            return failure.exitCode
        }
    }

    /// What `process` wrote to standard error so far.
    static func log(_ process: ManagedProcess) throws -> String {
        String(decoding: try Data(contentsOf: process.standardErrorLog), as: UTF8.self)
    }

    @Test("[HTTP-1] HTTP serves every passed socket, and a reload (SIGHUP) keeps serving them all")
    func everySocket() async throws {
        let directory = try TemporaryDirectory(label: "activation-all")
        let ports = [try LoopbackPort.unused(), try LoopbackPort.unused()]
        let server = try Self.activate(ports, names: ["web", "admin"], ["--systemd", "http"], in: directory)
        defer { server.stop() }
        #expect(try await Self.fetch("/one", port: ports[0]) == "Hello from /one\n")
        #expect(try await Self.fetch("/two", port: ports[1]) == "Hello from /two\n")
        #expect(try Self.log(server).contains("listening on systemd sockets (2 sockets)"))

        kill(server.pid, SIGHUP)
        let deadline = ContinuousClock.now + .seconds(30)
        while try Self.log(server).components(separatedBy: "listening on systemd sockets (2 sockets)").count < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try Self.log(server).contains("re-executing on the same socket"))
        #expect(try await Self.fetch("/three", port: ports[0]) == "Hello from /three\n")
        #expect(try await Self.fetch("/four", port: ports[1]) == "Hello from /four\n")
        #expect(server.isRunning, "a reload keeps the process")
    }

    @Test("[HTTP-1] --listen-fd-name serves the sockets of that name only; the others stay unanswered")
    func namedSockets() async throws {
        let directory = try TemporaryDirectory(label: "activation-named")
        let ports = [try LoopbackPort.unused(), try LoopbackPort.unused(), try LoopbackPort.unused()]
        let server = try Self.activate(ports, names: ["admin", "web", "web"], ["--listen-fd-name", "web"], in: directory)
        defer { server.stop() }
        #expect(try await Self.fetch("/a", port: ports[1]) == "Hello from /a\n")
        #expect(try await Self.fetch("/b", port: ports[2]) == "Hello from /b\n")
        #expect(try await Self.failure(port: ports[0]) == 28, "open, and not accepted on")
        #expect(try Self.log(server).contains("listening on systemd sockets named web (2 sockets)"))
    }

    @Test("[LIFE-1] a name no passed socket has ends the server with status 1 and says which names there are")
    func unknownName() async throws {
        let directory = try TemporaryDirectory(label: "activation-unknown")
        let port = try LoopbackPort.unused()
        let server = try Self.activate([port], names: ["web"], ["--listen-fd-name", "api"], in: directory)
        defer { server.stop() }
        // Its connection starts the program, which may end before the wait sees the port open.
        _ = try? await server.waitForPort(port: port)
        #expect(try await server.waitForExit(timeout: .seconds(15)) == .exited(code: 1))
        #expect(try Self.log(server).contains("no systemd socket is named \"api\" (LISTEN_FDNAMES: web)"))
    }

    @Test("[FCGI-8] FastCGI serves the first socket of the name it is given", .requires(.cgiFCGI))
    func fastCGIByName() async throws {
        let directory = try TemporaryDirectory(label: "activation-fastcgi")
        let ports = [try LoopbackPort.unused(), try LoopbackPort.unused()]
        let server = try Self.activate(ports, names: ["http", "fastcgi"], ["--systemd", "fastcgi", "--listen-fd-name", "fastcgi"], in: directory)
        defer { server.stop() }
        try await server.waitForPort(port: ports[1])
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/usr/bin/cgi-fcgi")
        client.arguments = ["-bind", "-connect", "127.0.0.1:\(ports[1])"]
        client.environment = [
            "REQUEST_METHOD": "GET", "REQUEST_URI": "/fcgi", "SCRIPT_NAME": "", "PATH_INFO": "/fcgi", "QUERY_STRING": "",
            "SERVER_NAME": "localhost", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "GATEWAY_INTERFACE": "CGI/1.1",
        ]
        let output = Pipe()
        client.standardInput = FileHandle.nullDevice
        client.standardOutput = output
        try client.run()
        let reply = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        client.waitUntilExit()
        #expect(reply.hasSuffix("\r\n\r\nHello from /fcgi\n"), "\(reply)")
        // The responder closed its copy of the other socket. systemd would keep its own, and
        // the connection would wait (28); systemd-socket-activate became the responder and
        // holds none, so it is refused (7).
        #expect(try await Self.failure(port: ports[0]) == 7)
    }
}
