// sluice-dev as a process: the held socket, reloads without refused connections, the error page.
//
// The build command is a shell one-liner and the app the prebuilt hello example, so no test
// waits for swift build; `swift build --product` itself was checked by hand (Docs/dev-server.md).

import Foundation
import IntegrationSupport
import Testing

@Suite("sluice-dev", .serialized)
struct DevServerTests {
    /// A program built beside the test bundle.
    static func program(_ name: String) throws -> String {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else { throw HarnessError("\(path) is not built") }
        return path
    }

    /// A running dev server over a scratch folder `src`, building with `buildCommand`.
    struct Running {
        let process: ManagedProcess
        let directory: TemporaryDirectory
        let port: Int

        init(buildCommand: String, prepare: (TemporaryDirectory) throws -> Void = { _ in }) async throws {
            directory = try TemporaryDirectory(label: "sluice-dev")
            try FileManager.default.createDirectory(at: directory.appending("src"), withIntermediateDirectories: true)
            _ = try directory.write("let a = 1\n", to: "src/main.swift")
            try prepare(directory)
            port = try LoopbackPort.unused()
            process = try ManagedProcess(
                executable: try DevServerTests.program("sluice-dev"),
                arguments: [
                    "--http", "127.0.0.1:\(port)", "--watch", "src", "--poll-interval", "100",
                    "--build-command", buildCommand, "--run", try DevServerTests.program("hello"),
                ],
                workingDirectory: directory.url
            )
            try await process.waitForPort(port: port)
        }

        func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

        /// Changes a watched file (a later modification time than any before).
        func edit() throws {
            _ = try directory.write("let a = \(UInt64.random(in: 0...UInt64.max))\n", to: "src/main.swift")
        }

        /// How many times the dev server started the app so far.
        func starts() throws -> Int {
            try String(contentsOf: process.standardErrorLog, encoding: .utf8).components(separatedBy: "sluice-dev: started ").count - 1
        }

        func waitForStarts(_ count: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(15)
            while try starts() < count {
                guard ContinuousClock.now < deadline else { throw HarnessError("the app was started \(try starts()) times, not \(count)") }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    @Test("the app serves on the dev server's socket, passed as descriptor 3 with LISTEN_FDS")
    func heldSocket() async throws {
        let server = try await Running(buildCommand: "true")
        try await server.waitForStarts(1)
        // hello was given no address: it can only be serving the dev server's port through LISTEN_FDS.
        let response = try await Curl.fetch(server.url("/through/the/held/socket"))
        #expect(response.status == 200)
        #expect(response.text == "Hello from /through/the/held/socket\n")
        let log = try String(contentsOf: server.process.standardErrorLog, encoding: .utf8)
        #expect(log.contains("listening on systemd sockets"))
    }

    @Test("requests sent during reloads are answered, not refused")
    func reloadRefusesNothing() async throws {
        let server = try await Running(buildCommand: "sleep 0.2")
        try await server.waitForStarts(1)
        let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
            group.addTask {
                var statuses: [Int] = []
                for index in 0..<40 {
                    statuses.append(try await Curl.fetch(server.url("/during/\(index)")).status)
                    try await Task.sleep(for: .milliseconds(50))
                }
                return statuses
            }
            group.addTask {
                for _ in 0..<3 {
                    try server.edit()
                    try await Task.sleep(for: .milliseconds(600))
                }
                return []
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(statuses.count == 40)
        #expect(statuses.allSatisfy { $0 == 200 })
        #expect(try server.starts() >= 3)
    }

    @Test("a failed build's output is the response (500, text/plain) until the next good build")
    func failedBuildPage() async throws {
        let server = try await Running(buildCommand: #"if [ -e broken ]; then echo "main.swift:1: error: cannot find 'x'"; exit 1; fi"#)
        try await server.waitForStarts(1)
        _ = try server.directory.write("", to: "broken")
        try server.edit()
        var response = try await Curl.fetch(server.url("/"))
        let deadline = ContinuousClock.now + .seconds(15)
        while response.status != 500, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            response = try await Curl.fetch(server.url("/"))
        }
        #expect(response.status == 500)
        #expect(response.value(of: "Content-Type") == "text/plain; charset=utf-8")
        #expect(response.text.contains("main.swift:1: error: cannot find 'x'"))
        #expect(try await Curl.fetch(server.url("/again")).status == 500)

        try FileManager.default.removeItem(at: server.directory.appending("broken"))
        try server.edit()
        try await server.waitForStarts(2)
        #expect(try await Curl.fetch(server.url("/fixed")).text == "Hello from /fixed\n")
    }
}
