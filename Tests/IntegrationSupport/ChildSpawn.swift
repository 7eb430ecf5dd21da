// ChildSpawn.swift — posix_spawn with a clean slate: chosen streams, no inherited
// descriptors, default signal handling, optionally a session of its own.
import Foundation

/// Where one of a child's standard streams is connected.
enum StreamTarget {
    /// `/dev/null`.
    case nullDevice
    /// A file, created or truncated, mode 0644.
    case file(String)
    /// A descriptor of ours (such as a pipe's write end), duplicated into the child.
    case descriptor(Int32)
}

/// Everything needed to start one child process with `posix_spawn`.
struct ChildSpawn {
    var executablePath: String
    var arguments: [String]
    var environment: [String: String]
    var workingDirectory: String?
    var standardInput: StreamTarget = .nullDevice
    var standardOutput: StreamTarget = .nullDevice
    var standardError: StreamTarget = .nullDevice
    /// `setsid` semantics: a new session and process group whose id is the child's pid,
    /// so that a server that signals its own group (Apache's prefork MPM does
    /// `killpg(getpgrp(), SIGTERM)` when it stops) cannot reach the test runner, and so
    /// that everything the server forks can be found by its group id.
    var startsNewSession = false

    /// Starts the child and returns its pid; the caller must reap it.
    func spawn() throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        try connect(standardInput, to: 0, readOnly: true, in: &actions)
        try connect(standardOutput, to: 1, readOnly: false, in: &actions)
        try connect(standardError, to: 2, readOnly: false, in: &actions)
        // Descriptors opened without O_CLOEXEC anywhere in the test process (other
        // tests run in parallel) would otherwise leak into servers and keep pipes open.
        _ = GNUExtensions.addCloseFrom(&actions, 3)
        if let workingDirectory {
            guard let result = GNUExtensions.addChangeDirectory(&actions, workingDirectory) else {
                throw HarnessError("posix_spawn_file_actions_addchdir_np is missing from this C library")
            }
            guard result == 0 else {
                throw HarnessError.systemCall("posix_spawn_file_actions_addchdir_np(\(workingDirectory))", errno: result)
            }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The test runner may block or ignore signals (SIGPIPE is commonly ignored);
        // both would be inherited across exec. Start the child from the defaults.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        if startsNewSession {
            flags |= GNUExtensions.spawnSetSessionFlag
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([executablePath] + arguments).map { strdup($0) }
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        defer {
            for argument in argv { free(argument) }
            for variable in envp { free(variable) }
        }
        var pid: pid_t = 0
        var result = posix_spawn(&pid, executablePath, &actions, &attributes, argv + [nil], envp + [nil])
        // A program a test just copied is "busy" while a child another test forks at that
        // moment still holds the copy's write descriptor, until that child executes.
        for _ in 0..<50 where result == ETXTBSY {
            usleep(20_000)
            result = posix_spawn(&pid, executablePath, &actions, &attributes, argv + [nil], envp + [nil])
        }
        guard result == 0 else {
            throw HarnessError.systemCall("posix_spawn(\(executablePath))", errno: result)
        }
        return pid
    }

    private func connect(
        _ target: StreamTarget, to descriptor: Int32, readOnly: Bool,
        in actions: inout posix_spawn_file_actions_t
    ) throws {
        let result: Int32
        switch target {
        case .nullDevice:
            result = posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", readOnly ? O_RDONLY : O_WRONLY, 0)
        case .file(let path):
            result = posix_spawn_file_actions_addopen(&actions, descriptor, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        case .descriptor(let source):
            result = posix_spawn_file_actions_adddup2(&actions, source, descriptor)
        }
        guard result == 0 else {
            throw HarnessError.systemCall("redirecting fd \(descriptor) of \(executablePath)", errno: result)
        }
    }
}

/// Whether the child `pid` has ended, without reaping it: a zombie keeps its pid (and
/// its process group id) reserved until it is reaped, so nothing else can get them.
func childHasEnded(_ pid: pid_t) -> Bool {
    var info = siginfo_t()
    let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
    if result != 0 {
        // ECHILD: already reaped, or not our child; either way it is not running for us.
        return errno == ECHILD
    }
    return info.si_signo == SIGCHLD
}

/// Reaps the child `pid`, blocking until it has ended, and returns how it ended.
func reapChild(_ pid: pid_t) -> ExitStatus? {
    var status: Int32 = 0
    while true {
        let result = waitpid(pid, &status, 0)
        if result == pid {
            return ExitStatus(waitStatus: status)
        }
        if result < 0 && errno == EINTR {
            continue
        }
        return nil
    }
}
