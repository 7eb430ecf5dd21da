// Starting a child process with posix_spawn: no fork of a process that may have threads.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One posix_spawn call: a program, its arguments and environment, and the descriptors it gets.
struct Spawn {
    var arguments: [String]
    var environment: [String]
    /// Descriptors to give the child at other numbers: `(ours, theirs)`.
    var descriptors: [(Int32, Int32)] = []

    struct Failed: Error, CustomStringConvertible {
        let program: String
        let code: Int32
        var description: String { "cannot start \(program): \(String(cString: strerror(code)))" }
    }

    /// Starts the child with the default signal mask and dispositions (the dev server blocks
    /// SIGINT and SIGTERM for itself) and returns its pid.
    func start() throws -> pid_t {
        var actions = Platform.emptySpawnFileActions()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (ours, theirs) in descriptors {
            // dup2 clears close-on-exec on the copy, so ours can stay close-on-exec.
            posix_spawn_file_actions_adddup2(&actions, ours, theirs)
        }
        var attributes = Platform.emptySpawnAttributes()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for argument in argv { free(argument) }
            for variable in envp { free(variable) }
        }
        var pid: pid_t = 0
        let code = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard code == 0 else { throw Failed(program: arguments[0], code: code) }
        return pid
    }

    /// The dev server's own environment, as `NAME=value` entries.
    static func currentEnvironment() -> [String] {
        var entries: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            entries.append(String(cString: pointer))
            entry += 1
        }
        return entries
    }

    /// Waits for a child without blocking: its exit status once it ended, else `nil`.
    static func reap(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        return status
    }

    /// "exited with status N" or "killed by signal N", from a wait status.
    static func describe(_ status: Int32) -> String {
        status & 0x7f == 0 ? "exited with status \((status >> 8) & 0xff)" : "killed by signal \(status & 0x7f)"
    }
}
