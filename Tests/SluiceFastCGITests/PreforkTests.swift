// The prefork supervisor at work: worker recycling (--max-requests) and SIGHUP reloads under
// load, with no request failed and no connection refused (Docs/running.md).

import Foundation
import Glibc
import IntegrationSupport
import Synchronization
import Testing

@Suite("FastCGI prefork supervisor", .timeLimit(.minutes(2)))
struct PreforkTests {
    /// GETs `target` on a new connection from a thread of its own: the reply's status and
    /// body, or `nil` when the connection was refused.
    static func fetch(_ path: String, _ target: String) -> (status: Int?, body: String)? {
        guard let client = try? FastCGIClient(path: path) else { return nil }
        let start = ContinuousClock.now
        client.send(FastCGIRecord.request(FastCGIRecord.params("GET", target)))
        let reply = client.reply(timeout: .seconds(20))
        let ending = reply.ended ? "" : "closed \(reply.closed), timed out \(reply.timedOut) after \(ContinuousClock.now - start) at \(start)"
        return (reply.ended ? reply.status : nil, reply.ended ? reply.body : ending)
    }

    @Test("--max-requests: a worker process is replaced after N requests; every request is answered")
    func recycling() async throws {
        let battery = try await Battery(["--processes", "1", "--workers", "1", "--max-requests", "4"])
        let path = battery.socketPath
        let answers = try await onOwnThread { (0..<14).map { _ in Self.fetch(path, "/app/pid") } }
        #expect(answers.allSatisfy { $0?.status == 200 })
        let pids = answers.compactMap { $0?.body }
        // Sequential requests: 4 from each worker process in turn.
        #expect(Set(pids).count == 4)
        #expect(Self.runs(of: pids).dropLast() == [4, 4, 4])
        #expect(!pids.contains("\(battery.process.pid)\n"))
        #expect(battery.standardError.contains("served 4 requests (--max-requests)"))
        #expect(battery.standardError.contains("recycled; starting another"))
        #expect(battery.process.stop() == .exited(code: 0))
    }

    @Test("--max-requests-jitter: each worker process serves between N and N + jitter requests")
    func jitter() async throws {
        let battery = try await Battery(["--processes", "1", "--workers", "1", "--max-requests", "2", "--max-requests-jitter", "3"])
        let path = battery.socketPath
        let answers = try await onOwnThread { (0..<30).map { _ in Self.fetch(path, "/app/pid") } }
        #expect(answers.allSatisfy { $0?.status == 200 })
        let runs = Self.runs(of: answers.compactMap { $0?.body }).dropLast()
        #expect(runs.count >= 4)
        #expect(runs.allSatisfy { (2...5).contains($0) })
    }

    @Test(
        "[LIFE-5] SIGHUP under load: the in-flight request completes, new requests get the new binary, none refused",
        arguments: [["--processes", "2", "--workers", "4"], ["--workers", "4"]]
    )
    func reloadUnderLoad(processes: [String]) async throws {
        let directory = try TemporaryDirectory(label: "reload")
        let program = directory.appending("app").path
        let battery = try await {
            try FileManager.default.copyItem(atPath: Battery.executablePath, toPath: program)
            return try await Battery(processes, executable: program)
        }()
        let path = battery.socketPath
        let oldPids = Set(try await onOwnThread { (0..<6).compactMap { _ in Self.fetch(path, "/app/pid")?.body } })

        let stop = StopFlag()
        let inFlight = Task { try await onOwnThread { Self.fetch(path, "/app/sleep?ms=2000") } }
        let load = (0..<3).map { _ in
            Task {
                try await onOwnThread {
                    var answers: [(status: Int?, body: String)?] = []
                    while !stop.isSet {
                        answers.append(Self.fetch(path, "/app/pid"))
                    }
                    return answers
                }
            }
        }
        try await Task.sleep(for: .milliseconds(400))
        // A deploy: the new binary (hello) renamed over the old, then SIGHUP.
        let hello = Battery.executablePath.replacingOccurrences(of: "/FastCGIBattery", with: "/hello")
        try FileManager.default.copyItem(atPath: hello, toPath: program + ".new")
        #expect(rename(program + ".new", program) == 0)
        #expect(kill(battery.process.pid, SIGHUP) == 0)
        try await Task.sleep(for: .milliseconds(2500))
        stop.set()
        var answers: [(status: Int?, body: String)?] = []
        for task in load { answers += try await task.value }

        let slept = try await inFlight.value
        #expect(slept?.status == 200 && slept?.body == "slept\n")
        let refused = answers.filter { $0 == nil }.count
        let failed = answers.filter { $0 != nil && $0?.status != 200 }.count
        print("reload under load (\(processes.joined(separator: " "))): \(answers.count) requests, \(refused) refused, \(failed) failed")
        #expect(refused == 0)
        #expect(failed == 0, "\(answers.filter { $0 != nil && $0?.status != 200 }.prefix(3)); \(battery.standardError)")
        #expect(answers.contains { $0?.body == "Hello from /app/pid\n" })
        #expect(try await onOwnThread { Self.fetch(path, "/app/after")?.body } == "Hello from /app/after\n")
        // The same supervisor process, with none of its old workers left.
        #expect(battery.process.isRunning)
        #expect(!oldPids.isEmpty)
        #expect(battery.standardError.contains("SIGHUP: "))
        #expect(battery.process.stop() == .exited(code: 0))
    }

    /// The lengths of the runs of equal values, in order.
    static func runs(of values: [String]) -> [Int] {
        var runs: [Int] = []
        var previous: String?
        for value in values {
            if value == previous { runs[runs.count - 1] += 1 } else { runs.append(1) }
            previous = value
        }
        return runs
    }
}

/// Tells the load loops to stop.
final class StopFlag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
