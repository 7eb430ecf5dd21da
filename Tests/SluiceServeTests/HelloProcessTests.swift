// The hello example, one binary, started as a web server would start it.

import Foundation
import IntegrationSupport
import Testing

@Suite("serve(_:) as a process")
struct HelloProcessTests {
    /// The hello example built beside the test bundle.
    static func hello() throws -> String {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let path = directory.appendingPathComponent("hello").path
        guard FileManager.default.isExecutableFile(atPath: path) else { throw HarnessError("\(path) is not built") }
        return path
    }

    /// Runs hello to completion with `environment` and `arguments`; its exit status and output.
    private func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.hello())
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    @Test("under CGI (GATEWAY_INTERFACE set) it answers the request and ignores the command line")
    func cgi() throws {
        let environment = [
            "GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "GET", "SCRIPT_NAME": "/cgi-bin/hello", "PATH_INFO": "/there",
            "QUERY_STRING": "", "SERVER_NAME": "localhost", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        ]
        let result = try run(["--not-a-flag"], environment: environment)
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("Status: 200 OK\r\n"))
        #expect(result.output.hasSuffix("Hello from /cgi-bin/hello/there\n"))
    }

    @Test("a wrong flag or variable is reported with the usage, exit status 64")
    func usageError() throws {
        let flag = try run(["--workers", "none"], environment: [:])
        #expect(flag.status == 64)
        #expect(flag.error.contains("--workers"))
        let variable = try run([], environment: ["SLUICE_IDLE_TIMEOUT": "soon"])
        #expect(variable.status == 64)
        #expect(variable.error.contains("SLUICE_IDLE_TIMEOUT"))
    }

    @Test("--help groups the flags and names their variables")
    func help() throws {
        let result = try run(["--help"], environment: [:])
        #expect(result.status == 0)
        for group in ["MODE:", "LISTENING:", "LIMITS:", "TIMEOUTS (SECONDS):", "LOGGING:", "ACCESS LOG, REQUEST IDS AND PROXIES:", "[SLUICE_MAX_BODY_BYTES]"] {
            #expect(result.output.contains(group))
        }
    }

    @Test("[LIFE-2] --http serves standalone, logs human lines, and stops gracefully on SIGTERM")
    func http() async throws {
        let directory = try TemporaryDirectory(label: "serve-http")
        let port = try LoopbackPort.unused()
        let server = try ManagedProcess(
            executable: try Self.hello(), arguments: ["--http", "127.0.0.1:\(port)", "--mount", "/app"], workingDirectory: directory.url
        )
        try await server.waitForPort(port: port)
        let mounted = try await Curl.fetch("http://127.0.0.1:\(port)/app/x")
        #expect(mounted.status == 200)
        #expect(mounted.text == "Hello from /app/x\n")
        let id = try #require(mounted.value(of: "X-Request-ID"))
        #expect(id.wholeMatch(of: #/[0-9a-f]{32}/#) != nil)
        let outside = try await Curl.fetch("http://127.0.0.1:\(port)/x")
        #expect(outside.status == 404)
        #expect(server.stop() == .exited(code: 0))
        let log = try String(contentsOf: server.standardErrorLog, encoding: .utf8)
        #expect(log.contains(" info listening on http://127.0.0.1:\(port)"))
        // The access log: one Combined line per request, alone on its line.
        let access = #/\n127\.0\.0\.1 - - \[[^\]]+\] "GET /app/x HTTP/1\.1" 200 18 "-" "curl/[^"]+"\n/#
        #expect(log.contains(access))
        #expect(log.contains(#""GET /x HTTP/1.1" 404 14 "-""#))
    }

    @Test("SLUICE_HTTP and --log-format json through the environment")
    func httpFromEnvironment() async throws {
        let directory = try TemporaryDirectory(label: "serve-env")
        let port = try LoopbackPort.unused()
        var environment = ManagedProcess.minimalEnvironment(home: directory.url)
        environment["SLUICE_HTTP"] = "127.0.0.1:\(port)"
        environment["SLUICE_LOG_FORMAT"] = "json"
        let server = try ManagedProcess(executable: try Self.hello(), environment: environment, workingDirectory: directory.url)
        try await server.waitForPort(port: port)
        #expect(try await Curl.fetch("http://127.0.0.1:\(port)/").text == "Hello from /\n")
        _ = server.stop()
        let log = try String(contentsOf: server.standardErrorLog, encoding: .utf8)
        #expect(log.contains(#""message":"listening on http://127.0.0.1:\#(port)""#))
        #expect(log.contains(#","method":"GET","target":"/","protocol":"HTTP/1.1","status":200,"bytes_sent":13,"duration":"#))
    }

    @Test("--access-log off writes no access line; --request-id-header renames the id's field; --trusted-proxies applies")
    func operationsFlags() async throws {
        let directory = try TemporaryDirectory(label: "serve-operations")
        let port = try LoopbackPort.unused()
        let server = try ManagedProcess(
            executable: try Self.hello(),
            arguments: [
                "--http", "127.0.0.1:\(port)", "--access-log", "common", "--request-id-header", "X-Trace",
                "--trusted-proxies", "127.0.0.1,::1",
            ],
            workingDirectory: directory.url
        )
        try await server.waitForPort(port: port)
        let request = CurlRequest(
            "http://127.0.0.1:\(port)/p",
            headers: [HTTPHeaderField(name: "X-Forwarded-For", value: "198.51.100.7"), HTTPHeaderField(name: "X-Trace", value: "t-42")]
        )
        let response = try await Curl.fetch(request)
        #expect(response.value(of: "X-Trace") == "t-42")
        #expect(response.value(of: "X-Request-ID") == nil)
        _ = server.stop()
        let log = try String(contentsOf: server.standardErrorLog, encoding: .utf8)
        #expect(log.contains(#"198.51.100.7 - - ["#))
        #expect(log.contains(#""GET /p HTTP/1.1" 200 14\#n"#))

        let quietPort = try LoopbackPort.unused()
        let quiet = try ManagedProcess(
            executable: try Self.hello(), arguments: ["--http", "127.0.0.1:\(quietPort)", "--access-log", "off"], workingDirectory: directory.url
        )
        try await quiet.waitForPort(port: quietPort)
        _ = try await Curl.fetch("http://127.0.0.1:\(quietPort)/q")
        _ = quiet.stop()
        #expect(try !String(contentsOf: quiet.standardErrorLog, encoding: .utf8).contains("GET /q"))
    }
}
