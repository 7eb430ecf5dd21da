// Disconnects, completion hooks, start-up, graceful shutdown and listening sockets
// (Spec LIFE-1 to LIFE-4).

import Foundation
import IntegrationSupport
import Sluice
import Testing

extension UnderLoad {
    @Suite("Lifecycle over HTTP")
    struct LifecycleTests {
        /// An application whose completion hooks report to a stream.
        struct Watched: Sendable {
            let completions: AsyncStream<Completion>
            /// One element each time the application starts on a request.
            let started: AsyncStream<Void>
            let app: App

            init() {
                let (completions, continuation) = AsyncStream<Completion>.makeStream()
                let (started, starting) = AsyncStream<Void>.makeStream()
                self.completions = completions
                self.started = started
                app = App { request in
                    starting.yield()
                    request.onCompletion { continuation.yield($0) }
                    switch request.pathInfo {
                    case "/endless":
                        return Response(
                            headers: ["Content-Type": "application/octet-stream"],
                            body: .stream { writer in
                                let block = [UInt8](repeating: 0x61, count: 65_536)
                                while true { try await writer.write(block) }
                            })
                    case "/sleep":
                        try await Task.sleep(for: .seconds(60))
                        return .text("too late\n")
                    default:
                        return .text("done\n")
                    }
                }
            }

            /// The next completion, failing after `limit`.
            func next(within limit: Duration = .seconds(5)) async throws -> Completion {
                try await withThrowingTaskGroup(of: Completion?.self) { group in
                    group.addTask { await completions.first { _ in true } }
                    group.addTask {
                        try await Task.sleep(for: limit)
                        return nil
                    }
                    defer { group.cancelAll() }
                    return try #require(try await group.next() ?? nil, "no completion within \(limit)")
                }
            }
        }

        @Test("[LIFE-3] completion hooks run once the response went out")
        func hooksAfterResponse() async throws {
            let watched = Watched()
            try await InProcessServer.serving(watched.app) { server in
                _ = try await Curl.fetch(server.url("/"))
                let completion = try await watched.next()
                #expect(completion.succeeded)
                #expect(completion.bodyBytesSent == 5)
            }
        }

        @Test("[LIFE-4] a client that aborts a download mid-stream cancels the body and hooks see ClientDisconnected")
        func abortMidDownload() async throws {
            let watched = Watched()
            try await InProcessServer.serving(watched.app) { server in
                // The client reads a good part of the body, then goes away.
                let client = try StalledClient(port: server.port, request: "GET /endless HTTP/1.1\r\nHost: a\r\n\r\n")
                let received = try await onOwnThread { client.read(atLeast: 65_537, timeout: .seconds(10)) }
                client.close()
                #expect(received.count > 65_536)
                let completion = try await watched.next()
                #expect(completion.clientDisconnected)
                #expect(completion.status == .ok)
            }
        }

        @Test("[LIFE-4] a client that goes away cancels the application's task")
        func disconnectCancels() async throws {
            let watched = Watched()
            try await InProcessServer.serving(watched.app) { server in
                let reply = try await RawSocket.exchange("GET /sleep HTTP/1.1\r\nHost: a\r\n\r\n", port: server.port, timeout: .milliseconds(200))
                #expect(reply.bytes.isEmpty)
                let completion = try await watched.next()
                #expect(completion.clientDisconnected)
                #expect(completion.status == nil)
            }
        }

        @Test("[LIFE-2] graceful shutdown lets an in-flight streaming response finish whole")
        func gracefulShutdownInProcess() async throws {
            let (started, starting) = AsyncStream<Void>.makeStream()
            let slow = App { request in
                Response(
                    headers: ["Content-Type": "text/plain"],
                    body: .stream { writer in
                        for index in 1...5 {
                            try await writer.write("chunk \(index)\n")
                            try await writer.flush()
                            starting.yield()
                            try await Task.sleep(for: .milliseconds(150))
                        }
                    })
            }
            try await InProcessServer.serving(slow) { server, group in
                async let streamed = Curl.stream(CurlRequest(server.url("/slow")))
                _ = await started.first { _ in true }
                await group.triggerGracefulShutdown()
                let response = try await streamed.response
                #expect(response.text == (1...5).map { "chunk \($0)\n" }.joined())
            }
        }

        @Test("[LIFE-5] a request still running when the grace period ends is cancelled")
        func graceExpires() async throws {
            let watched = Watched()
            try await InProcessServer.serving(watched.app, configure: { $0.shutdownGracePeriod = .milliseconds(300) }) { server, group in
                let client = try StalledClient(port: server.port, request: "GET /sleep HTTP/1.1\r\nHost: a\r\n\r\n")
                defer { client.close() }
                // Only a request the application is running is in flight; before that the
                // connection is idle and a graceful stop just closes it.
                _ = await watched.started.first { _ in true }
                await group.triggerGracefulShutdown()
                let completion = try await watched.next()
                #expect(completion.clientDisconnected)
            }
        }

        @Test("[LIFE-5] a connection accepted just before a graceful stop gets its first request answered")
        func firstRequestAfterStop() async throws {
            let watched = Watched()
            try await InProcessServer.serving(watched.app) { server, group in
                let client = try StalledClient(port: server.port, request: "")
                defer { client.close() }
                try await Task.sleep(for: .milliseconds(300))
                await group.triggerGracefulShutdown()
                // The stop reaches the connection before its request does.
                try await Task.sleep(for: .milliseconds(100))
                client.send("GET /now HTTP/1.1\r\nHost: a\r\n\r\n")
                let reply = String(decoding: try await onOwnThread { client.readToEnd(timeout: .seconds(10)) }, as: UTF8.self)
                #expect(reply.hasPrefix("HTTP/1.1 200"), "reply: \(reply.debugDescription)")
                #expect(reply.hasSuffix("done\n"))
            }
        }

        @Test("[LIFE-2] [LIFE-5] SIGTERM: in-flight requests finish, shutdown() runs, the process exits 0")
        func sigterm() async throws {
            let server = try await BatteryServer.start(["--shutdown-marker", "shutdown-ran"])
            // The request is sent, and its first chunk back, before the signal: it is in flight.
            let client = try StalledClient(port: server.port, request: "GET /slow?chunks=5 HTTP/1.1\r\nHost: a\r\n\r\n")
            defer { client.close() }
            let first = try await onOwnThread { client.read(until: "chunk 1\n", timeout: .seconds(10)) }
            kill(server.process.pid, SIGTERM)
            let rest = try await onOwnThread { client.readToEnd(timeout: .seconds(10)) }
            let reply = String(decoding: first + rest, as: UTF8.self)
            let body = (1...5).map { "chunk \($0)\n" }.map { "\(String($0.utf8.count, radix: 16))\r\n\($0)\r\n" }.joined() + "0\r\n\r\n"
            #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(reply.hasSuffix(body), "reply: \(reply.debugDescription)")
            let status = try await server.process.waitForExit(timeout: .seconds(10))
            #expect(status == .exited(code: 0))
            #expect(FileManager.default.fileExists(atPath: server.directory.appending("shutdown-ran").path))
        }

        @Test("[LIFE-2] [LIFE-5] a second SIGTERM during the stop cancels the request still running at once; shutdown() runs, exit 0")
        func secondSignal() async throws {
            let server = try await BatteryServer.start(["--shutdown-grace", "300", "--shutdown-marker", "shutdown-ran"])
            let client = try StalledClient(port: server.port, request: "GET /sleep?ms=60000 HTTP/1.1\r\nHost: a\r\n\r\n")
            defer { client.close() }
            try await Task.sleep(for: .milliseconds(300))
            let signalled = ContinuousClock.now
            kill(server.process.pid, SIGTERM)
            try await Task.sleep(for: .milliseconds(500))
            kill(server.process.pid, SIGTERM)
            let status = try await server.process.waitForExit(timeout: .seconds(50))
            #expect(status == .exited(code: 0))
            // Far within the 300 s grace period: a wide margin, for a loaded machine.
            #expect(ContinuousClock.now - signalled < .seconds(50))
            #expect(FileManager.default.fileExists(atPath: server.directory.appending("shutdown-ran").path))
        }

        @Test("[LIFE-1] a startup() that throws means nothing is served and the exit status is non-zero")
        func startupFailure() async throws {
            let directory = try TemporaryDirectory(label: "http-startup")
            let port = try LoopbackPort.unused()
            let process = try ManagedProcess(
                name: "HTTPBattery", executable: try BatteryServer.program("HTTPBattery"),
                arguments: ["--http", "127.0.0.1:\(port)", "--fail-startup"], workingDirectory: directory.url
            )
            let status = try await process.waitForExit(timeout: .seconds(10))
            #expect(status == .exited(code: 1))
            let log = String(decoding: try Data(contentsOf: process.standardOutputLog) + Data(contentsOf: process.standardErrorLog), as: UTF8.self)
            #expect(!log.contains("listening"), "log: \(log)")
            #expect(log.contains("not serving"))
        }

        @Test("[HTTP-1] [REQ-10] listening on IPv6 and on a unix socket; a unix peer has no address")
        func otherSockets() async throws {
            let v6 = try await BatteryServer.start(listening: { "[::1]:\($0)" }, waitsForPort: false)
            let overV6 = try await Self.fetchWhenReady(CurlRequest("http://[::1]:\(v6.port)/six", extraArguments: ["-g"]))
            #expect(BatteryTests.facts(overV6)["remoteAddress"] == "::1")
            let unixPath = v6.directory.appending("sluice.sock").path
            let unix = try await BatteryServer.start(listening: { _ in unixPath }, waitsForPort: false)
            try await unix.process.waitForFile(path: unixPath)
            let overUnix = try await Self.fetchWhenReady(CurlRequest("http://localhost/u", extraArguments: ["--unix-socket", unixPath]))
            let facts = BatteryTests.facts(overUnix)
            #expect(facts["pathInfo"] == "/u")
            #expect(facts["remoteAddress"] == "")
            #expect(facts["remotePort"] == "none")
        }

        @Test("[HTTP-1] a systemd-activated socket (LISTEN_FDS, descriptor 3) is served")
        func systemdSocket() async throws {
            let directory = try TemporaryDirectory(label: "http-systemd")
            let port = try LoopbackPort.unused()
            // Plays systemd: binds the socket, puts it on descriptor 3, names this process in
            // LISTEN_PID and becomes the server (exec keeps the pid).
            let launcher = """
                import os, socket, sys
                listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                listener.bind(("127.0.0.1", int(sys.argv[2])))
                listener.listen(64)
                os.dup2(listener.fileno(), 3)
                os.set_inheritable(3, True)
                os.environ.update(LISTEN_FDS="1", LISTEN_PID=str(os.getpid()))
                os.execv(sys.argv[1], [sys.argv[1], "--systemd", "http"])
                """
            let process = try ManagedProcess(
                name: "systemd-launcher", executable: "python3",
                arguments: ["-c", launcher, try BatteryServer.program("HTTPBattery"), String(port)], workingDirectory: directory.url
            )
            let response = try await Self.fetchWhenReady(CurlRequest("http://127.0.0.1:\(port)/activated"))
            #expect(BatteryTests.facts(response)["pathInfo"] == "/activated")
            process.stop()
        }

        /// Fetches `request`, retrying while the server is still starting.
        static func fetchWhenReady(_ request: CurlRequest) async throws -> HTTPResponse {
            let deadline = ContinuousClock.now + .seconds(10)
            while true {
                do {
                    return try await Curl.fetch(request)
                } catch let failure as CurlFailure where failure.exitCode == 7 && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
        }
    }
}
