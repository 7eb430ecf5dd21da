// One run of the app, serving on the held socket.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The app's process: started with the held socket as descriptor 3 and the systemd variables
/// that tell `serve(app)` to use it.
struct AppProcess {
    let pid: pid_t

    /// Starts `executable` through `sh`, which sets `LISTEN_PID` to its own pid and then execs
    /// the app, so the pid is the app's (sd_listen_fds(3) checks it).
    init(executable: String, arguments: [String], socket: HeldSocket) throws {
        let inherited = ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"]
        let environment =
            Spawn.currentEnvironment().filter { entry in
                !inherited.contains { entry.hasPrefix($0 + "=") }
            } + ["LISTEN_FDS=1"]
        let spawn = Spawn(
            arguments: ["/bin/sh", "-c", #"LISTEN_PID=$$ exec "$0" "$@""#, executable] + arguments,
            environment: environment,
            descriptors: [(socket.descriptor, 3)]
        )
        pid = try spawn.start()
    }

    /// Asks the app to stop (SIGTERM: a graceful shutdown, in-flight requests finish) and waits
    /// for it; SIGKILL after `patience`. Connections arriving meanwhile wait in the backlog.
    func stop(patience: Duration = .seconds(15)) {
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + patience
        while Spawn.reap(pid) == nil {
            if ContinuousClock.now > deadline {
                DevLog.say("the app did not stop within \(patience): killing it")
                kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
                return
            }
            usleep(10_000)
        }
    }
}
