// sluice-dev's command line.

import ArgumentParser

/// Builds an app, runs it on a socket the dev server keeps, and rebuilds and restarts it
/// whenever a watched file changes.
@main
struct DevCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice-dev",
        abstract: "Runs a Sluice app while you edit it: rebuilds and restarts it on every change.",
        discussion: """
            The dev server listens itself and hands the socket to each new run of the app as \
            systemd would (descriptor 3, LISTEN_FDS=1, LISTEN_PID): an app whose main calls \
            serve(app) serves it. While the app restarts, connections wait in the socket's backlog \
            instead of being refused. A failed build is printed here and served as the response \
            (500, text/plain) until the next good build. Ctrl-C stops the app and the dev server.
            See Docs/dev-server.md.
            """
    )

    @Option(help: "The executable product to build and run (swift build --product NAME).")
    var product: String?

    // --http, as serve names it; --listen is its earlier name.
    @Option(
        name: [.customLong("http"), .customLong("listen")],
        help: ArgumentHelp("Where to serve HTTP: HOST:PORT or PORT (127.0.0.1), as serve's --http.", valueName: "address"))
    var http = "127.0.0.1:8080"

    @Option(
        name: .customLong("watch"),
        help: ArgumentHelp("A folder to watch; repeat for more (default: Sources and Examples, those that exist).", valueName: "folder"))
    var watchedFolders: [String] = []

    @Option(help: ArgumentHelp("How often to look for changes, in milliseconds.", valueName: "ms"))
    var pollInterval = 300

    @Option(help: ArgumentHelp("The shell command that builds the app (default: swift build --product PRODUCT).", valueName: "command"))
    var buildCommand: String?

    @Option(
        name: .customLong("run"),
        help: ArgumentHelp("The executable to run after each good build (default: the product in swift build's bin path).", valueName: "path"))
    var executable: String?

    @Argument(parsing: .postTerminator, help: "Arguments for the app, after --.")
    var appArguments: [String] = []

    mutating func validate() throws {
        guard product != nil || (buildCommand != nil && executable != nil) else {
            throw ValidationError("name the app with --product NAME (or give both --build-command and --run)")
        }
        guard pollInterval > 0 else { throw ValidationError("--poll-interval must be above 0") }
        guard HeldSocket.Address(parsing: http) != nil else { throw ValidationError("--http: \"\(http)\" is not HOST:PORT or PORT") }
    }

    func run() throws {
        let socket = try HeldSocket(listening: HeldSocket.Address(parsing: http)!)
        let build = buildCommand ?? "swift build --product \(product!)"
        let executable = try self.executable ?? BinPath.swiftBuild() + "/" + product!
        let folders = watchedFolders.isEmpty ? SourceWatcher.defaultFolders() : watchedFolders
        DevLog.say("listening on http://\(http), watching \(folders.joined(separator: ", "))")
        var server = DevServer(
            socket: socket, buildCommand: build, executable: executable, arguments: appArguments,
            watcher: SourceWatcher(folders: folders), pollInterval: .milliseconds(pollInterval)
        )
        server.run()
    }
}
