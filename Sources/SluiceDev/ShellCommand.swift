// Running a build command and keeping what it printed.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A shell command run to completion, its output shown live and kept.
enum ShellCommand {
    struct Result {
        var succeeded: Bool
        /// Standard output and standard error, interleaved as printed.
        var output: String
    }

    /// Runs `/bin/sh -c command`; with `echo`, copies its output to the terminal as it comes.
    static func run(_ command: String, echo: Bool = true) -> Result {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { return Result(succeeded: false, output: "cannot create a pipe") }
        // Only the child's copies (dup2) stay open in it; later children must not inherit these.
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(devNull) }
        let spawn = Spawn(
            arguments: ["/bin/sh", "-c", command], environment: Spawn.currentEnvironment(),
            descriptors: [(devNull, 0), (pipeEnds[1], 1), (pipeEnds[1], 2)]
        )
        let pid: pid_t
        do {
            pid = try spawn.start()
        } catch {
            close(pipeEnds[0])
            close(pipeEnds[1])
            return Result(succeeded: false, output: "\(error)")
        }
        close(pipeEnds[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = read(pipeEnds[0], &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            output += buffer[..<count]
            if echo { _ = write(2, buffer, count) }
        }
        close(pipeEnds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Result(succeeded: status == 0, output: String(decoding: output, as: UTF8.self))
    }
}
