// SIGHUP to the standalone server under load: in-flight requests complete, the program is
// re-executed on the same listening socket, no connection is refused (Docs/running.md).

import Foundation
import Glibc
import IntegrationSupport
import Synchronization
import Testing

@Suite("HTTP reload", .timeLimit(.minutes(2)))
struct ReloadTests {
    @Test("[LIFE-5] SIGHUP under load: the in-flight request completes, new requests get the new binary, none refused")
    func reloadUnderLoad() async throws {
        let directory = try TemporaryDirectory(label: "http-reload")
        let program = directory.appending("app").path
        try FileManager.default.copyItem(atPath: try BatteryServer.program("HTTPBattery"), toPath: program)
        let port = try LoopbackPort.unused()
        let server = try ManagedProcess(name: "app", executable: program, arguments: ["--http", "127.0.0.1:\(port)"], workingDirectory: directory.url)
        defer { server.stop() }
        try await server.waitForPort(port: port)
        let base = "http://127.0.0.1:\(port)"

        let stop = StopFlag()
        let inFlight = Task { try await Curl.fetch("\(base)/sleep?ms=1500") }
        let load = (0..<3).map { _ in
            Task {
                var answers: [(status: Int, body: String)?] = []
                while !stop.isSet {
                    let response = try? await Curl.fetch("\(base)/pid")
                    answers.append(response.map { ($0.status, $0.text) })
                }
                return answers
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        // A deploy: the new binary (hello) renamed over the old, then SIGHUP.
        try FileManager.default.copyItem(atPath: try BatteryServer.program("hello"), toPath: program + ".new")
        #expect(rename(program + ".new", program) == 0)
        #expect(kill(server.pid, SIGHUP) == 0)
        try await Task.sleep(for: .milliseconds(3000))
        stop.set()
        var answers: [(status: Int, body: String)?] = []
        for task in load { answers += await task.value }

        let slept = try await inFlight.value
        #expect(slept.status == 200 && slept.text == "slept\n")
        let refused = answers.filter { $0 == nil }.count
        let failed = answers.filter { $0 != nil && $0?.status != 200 }.count
        print("HTTP reload under load: \(answers.count) requests, \(refused) refused or failed to connect, \(failed) not 200")
        #expect(refused == 0)
        #expect(failed == 0)
        #expect(answers.contains { $0?.body == "Hello from /pid\n" })
        #expect(try await Curl.fetch("\(base)/after").text == "Hello from /after\n")
        #expect(server.isRunning)
        #expect(server.stop() == .exited(code: 0))
    }
}

/// Tells the load loops to stop.
final class StopFlag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
