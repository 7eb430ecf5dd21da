// ManagedProcess+Readiness.swift — waiting until a started server can take requests.
import Foundation

extension ManagedProcess {
    /// Waits until this process (or one in its process group) is listening on
    /// `host:port` and accepts a connection. Throws `HarnessError`, with the logs, when
    /// the process ends first or `timeout` passes.
    ///
    /// Checking who owns the listener (Linux) keeps a server that lost its port to
    /// another process — and is about to exit with "Address already in use" — from
    /// looking ready.
    public func waitForPort(host: String = "127.0.0.1", port: Int, timeout: Duration = .seconds(60)) async throws {
        try await waitUntil("it listens on \(host):\(port)", timeout: timeout) {
            LoopbackAddress.acceptsConnections(host: host, port: port)
                && ProcessTable.processGroup(pid, listensOn: port)
        }
    }

    /// Waits until `path` exists — a unix socket, a pid file. Throws `HarnessError`,
    /// with the logs, when the process ends first or `timeout` passes.
    public func waitForFile(path: String, timeout: Duration = .seconds(60)) async throws {
        try await waitUntil("\(path) exists", timeout: timeout) {
            var info = stat()
            return lstat(path, &info) == 0
        }
    }

    /// Polls `condition` every 20 ms while the process runs.
    func waitUntil(_ goal: String, timeout: Duration, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            // Checked before the condition: a process that has just died is not ready,
            // whoever else may answer on its port.
            let ended = !isRunning
            if !ended && condition() {
                return
            }
            if ended {
                let status = stop().map(\.description) ?? "ended"
                throw HarnessError("\(name) (pid \(pid)) \(status) before \(goal)\n\(logReport())")
            }
            if ContinuousClock.now >= deadline {
                throw HarnessError("\(name) (pid \(pid)): timed out after \(timeout) waiting until \(goal)\n\(logReport())")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
