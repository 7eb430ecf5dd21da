// ManagedProcess.swift — a child process the test owns from start to reaping.
public import Foundation
import Synchronization

/// A child process started by a test — a front server, a FastCGI app, a helper —
/// that is always stopped and reaped: by `stop()`, by the end of `withProcess`, or at
/// the latest when the last reference goes away (`deinit`), also when the test throws.
///
/// It runs in a session and process group of its own (`setsid` semantics via
/// `POSIX_SPAWN_SETSID`): a server that signals its own group cannot reach the test
/// runner, and whatever it forks is found by group id and stopped with it. Its
/// standard output and error go to files, and it inherits no descriptor but 0–2.
public final class ManagedProcess: Sendable {
    /// A short name used in file names and messages, such as `apache2`.
    public let name: String
    /// The process id, which is also its process group id and session id.
    public let pid: pid_t
    /// The absolute path of the program that was started.
    public let executablePath: String
    /// The arguments it was started with, without the program itself.
    public let arguments: [String]
    /// Where its standard output goes: `<name>.stdout.log` in the log directory.
    public let standardOutputLog: URL
    /// Where its standard error goes: `<name>.stderr.log` in the log directory.
    public let standardErrorLog: URL
    /// Its logs for failure messages: the program's own log files first, then standard
    /// error and standard output.
    public let logs: LogFiles

    private struct State {
        var isReaped = false
        var exitStatus: ExitStatus?
    }

    private let state = Mutex(State())

    /// The environment a process gets unless told otherwise: PATH with the sbin
    /// directories, `LANG=C.UTF-8`, and HOME and TMPDIR set to `directory` — nothing
    /// from the test runner's own environment (no proxies, no locale surprises).
    public static func minimalEnvironment(home directory: URL) -> [String: String] {
        [
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG": "C.UTF-8",
            "HOME": directory.path,
            "TMPDIR": directory.path,
        ]
    }

    /// Starts `executable` (a path, or a name looked up in /usr/sbin, /usr/bin and
    /// PATH) with `arguments` in `workingDirectory`.
    ///
    /// - Parameters:
    ///   - name: Names the log files and messages; defaults to the executable's name.
    ///   - environment: The whole environment; defaults to `minimalEnvironment(home:)`
    ///     of the working directory.
    ///   - logDirectory: Where standard output and error are written; defaults to the
    ///     working directory.
    ///   - otherLogs: Log files the program writes itself (a server's error log), put
    ///     first in `logs`.
    public init(
        name: String? = nil,
        executable: String,
        arguments: [String] = [],
        environment: [String: String]? = nil,
        workingDirectory: URL,
        logDirectory: URL? = nil,
        otherLogs: [URL] = []
    ) throws {
        guard let executablePath = FrontServer.executablePath(named: executable) else {
            throw HarnessError("cannot start \(executable): no such executable (looked in /usr/sbin, /usr/bin and PATH)")
        }
        let name = name ?? URL(fileURLWithPath: executablePath).lastPathComponent
        let logDirectory = logDirectory ?? workingDirectory
        self.name = name
        self.executablePath = executablePath
        self.arguments = arguments
        standardOutputLog = logDirectory.appendingPathComponent("\(name).stdout.log")
        standardErrorLog = logDirectory.appendingPathComponent("\(name).stderr.log")
        logs = LogFiles(otherLogs + [standardErrorLog, standardOutputLog])
        pid = try ChildSpawn(
            executablePath: executablePath,
            arguments: arguments,
            environment: environment ?? Self.minimalEnvironment(home: workingDirectory),
            workingDirectory: workingDirectory.path,
            standardOutput: .file(standardOutputLog.path),
            standardError: .file(standardErrorLog.path),
            startsNewSession: true
        ).spawn()
    }

    deinit {
        stop()
    }

    /// Whether the process is still running (it has neither ended nor been stopped).
    public var isRunning: Bool {
        state.withLock { !$0.isReaped && !childHasEnded(pid) }
    }

    /// How the process ended, once `stop()` or `waitForExit(timeout:)` has reaped it.
    public var exitStatus: ExitStatus? {
        state.withLock { $0.exitStatus }
    }

    /// Stops the process and everything left in its process group, then reaps it:
    /// SIGTERM to the pid, up to `gracePeriod` for it to end, then SIGKILL. Processes
    /// still in its group afterwards (a CGI program the server forked) get SIGTERM,
    /// then SIGKILL after 2 s. Safe to call more than once and after the process
    /// ended by itself; blocks until done.
    ///
    /// - Returns: How the process ended, or nil if it could not be reaped.
    @discardableResult
    public func stop(gracePeriod: Duration = .seconds(10)) -> ExitStatus? {
        state.withLock { state in
            if state.isReaped {
                return state.exitStatus
            }
            if !childHasEnded(pid) {
                kill(pid, SIGTERM)
                if !Self.wait(within: gracePeriod, until: { childHasEnded(pid) }) {
                    FileHandle.standardError.write(Data("\(name) (pid \(pid)) ignored SIGTERM for \(gracePeriod): SIGKILL\n".utf8))
                    kill(pid, SIGKILL)
                    _ = Self.wait(within: .seconds(5), until: { childHasEnded(pid) })
                }
            }
            // The leader is a zombie now, so its pid — the group id — cannot be reused
            // while the rest of the group is swept.
            stopRemainingGroupMembers()
            state.exitStatus = reapChild(pid)
            state.isReaped = true
            return state.exitStatus
        }
    }

    /// Waits for the process to end by itself, then reaps it as `stop()` does.
    /// Throws `HarnessError` (with the logs) if it is still running after `timeout`;
    /// it is then left running for `stop()`.
    @discardableResult
    public func waitForExit(timeout: Duration) async throws -> ExitStatus? {
        let deadline = ContinuousClock.now + timeout
        while !state.withLock({ $0.isReaped }) && !childHasEnded(pid) {
            guard ContinuousClock.now < deadline else {
                throw HarnessError("\(name) (pid \(pid)) was still running after \(timeout)\n\(logs.report())")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return stop()
    }

    /// The logs as failure-message text: see `LogFiles.report(lastBytesPerFile:)`.
    public func logReport() -> String {
        "\(name) (pid \(pid)): \(executablePath) \(arguments.joined(separator: " "))\n" + logs.report()
    }

    /// The processes still alive in this process's group other than itself — workers,
    /// a CGI program the server forked. Empty after `stop()` (dead processes that no
    /// one has reaped yet are not counted). Linux only; elsewhere always empty.
    public var survivingGroupMembers: [pid_t] {
        ProcessTable.members(ofProcessGroup: pid).filter { $0 != pid }
    }

    private func stopRemainingGroupMembers() {
        let members = { self.survivingGroupMembers }
        let left = members()
        guard !left.isEmpty else {
            return
        }
        // Worth seeing: a server normally takes its workers down with it, so these
        // are usually programs under test that did not exit.
        let pids = left.map(String.init).joined(separator: " ")
        FileHandle.standardError.write(Data("\(name) (pid \(pid)) ended leaving \(pids) in its process group: SIGTERM\n".utf8))
        killpg(pid, SIGTERM)
        if !Self.wait(within: .seconds(2), until: { members().isEmpty }) {
            killpg(pid, SIGKILL)
            _ = Self.wait(within: .seconds(2), until: { members().isEmpty })
        }
    }

    private static func wait(within limit: Duration, until condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + limit
        while !condition() {
            if ContinuousClock.now >= deadline {
                return false
            }
            usleep(10_000)
        }
        return true
    }
}

/// Starts a `ManagedProcess`, runs `body` with it, and stops it afterwards — also when
/// `body` throws. Takes the same arguments as `ManagedProcess.init`.
public func withProcess<Result>(
    name: String? = nil,
    executable: String,
    arguments: [String] = [],
    environment: [String: String]? = nil,
    workingDirectory: URL,
    logDirectory: URL? = nil,
    otherLogs: [URL] = [],
    isolation: isolated (any Actor)? = #isolation,
    _ body: (ManagedProcess) async throws -> Result
) async throws -> Result {
    let process = try ManagedProcess(
        name: name, executable: executable, arguments: arguments, environment: environment,
        workingDirectory: workingDirectory, logDirectory: logDirectory, otherLogs: otherLogs
    )
    defer { process.stop() }
    return try await body(process)
}
