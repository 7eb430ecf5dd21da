// The loop: build, run, watch; rebuild and restart on change; the error page in between.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps the app built and running on the held socket.
struct DevServer {
    let socket: HeldSocket
    let buildCommand: String
    let executable: String
    let arguments: [String]
    var watcher: SourceWatcher
    let pollInterval: Duration

    /// The app's process, while one runs.
    private var app: AppProcess?
    /// What requests get while no app runs: the build's output, or why the app ended.
    private var errorPage = ErrorPage(text: "")

    init(socket: HeldSocket, buildCommand: String, executable: String, arguments: [String], watcher: SourceWatcher, pollInterval: Duration) {
        self.socket = socket
        self.buildCommand = buildCommand
        self.executable = executable
        self.arguments = arguments
        self.watcher = watcher
        self.pollInterval = pollInterval
    }

    /// Runs until SIGINT or SIGTERM, then stops the app and returns.
    mutating func run() {
        let stopSignals = Self.blockStopSignals()
        rebuild()
        while !Self.received(stopSignals) {
            if let running = app, let status = Spawn.reap(running.pid) {
                app = nil
                let message = "the app \(Spawn.describe(status)); waiting for a change to rebuild"
                DevLog.say(message)
                errorPage = ErrorPage(text: message + "\n")
            }
            if app == nil {
                errorPage.answerNext(on: socket, within: pollInterval)
            } else {
                usleep(useconds_t(pollInterval.components.attoseconds / 1_000_000_000_000 + pollInterval.components.seconds * 1_000_000))
            }
            if watcher.changed() {
                DevLog.say("change detected: rebuilding")
                rebuild()
            }
        }
        DevLog.say("stopping")
        app?.stop()
    }

    /// Builds while the old app still serves; then replaces it, or stops it and serves the
    /// build's output.
    private mutating func rebuild() {
        let build = ShellCommand.run(buildCommand)
        app?.stop()
        app = nil
        guard build.succeeded else {
            DevLog.say("build failed: serving its output until the next good build")
            errorPage = ErrorPage(text: "The build failed (\(buildCommand)):\n\n" + build.output)
            return
        }
        do {
            let started = try AppProcess(executable: executable, arguments: arguments, socket: socket)
            DevLog.say("started \(executable) (pid \(started.pid))")
            app = started
        } catch {
            DevLog.say("\(error)")
            errorPage = ErrorPage(text: "\(error)\n")
        }
    }

    /// Blocks SIGINT and SIGTERM, to be taken with ``received(_:)`` between steps rather than
    /// interrupting one (a half-started app would be left behind).
    private static func blockStopSignals() -> sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        sigprocmask(SIG_BLOCK, &signals, nil)
        return signals
    }

    private static func received(_ signals: sigset_t) -> Bool {
        Platform.takePendingSignal(of: signals)
    }
}
