// LighttpdCGIHost.swift — lighttpd 1.4 running one CGI program through mod_cgi at /app.
public import Foundation

/// lighttpd 1.4 with mod_cgi, started as `lighttpd -D -f DIR/lighttpd.conf` and
/// stopped by SIGTERM to its pid.
///
/// Response bodies are passed on as the program writes them
/// (`server.stream-response-body = 2`; lighttpd's default would collect the whole
/// response first). Request bodies keep lighttpd's default: spooled, then passed with
/// a CONTENT_LENGTH — also for chunked requests. PATH_INFO arrives decoded, `%2F`
/// included.
public enum LighttpdCGIHost: CGIHost {
    /// lighttpd.
    public static var software: FrontServer {
        .lighttpd
    }

    /// Starts lighttpd serving `program` at `/app`; see `CGIHost.start(program:environment:in:)`.
    public static func start(
        program: URL, environment: [String: String], in directory: TemporaryDirectory
    ) async throws -> RunningServer {
        let worker = try WorkerUser.lookUp()
        try worker.ensureCanExecute(program.path)
        try validateEnvironment(environment)
        try FileManager.default.createDirectory(at: directory.appending("www"), withIntermediateDirectories: true)
        // Request bodies are spooled here by the worker user.
        try worker.createDirectory(at: directory.appending("upload"))
        let pairs = environment.sorted { $0.key < $1.key }
            .map { "\(quotedForConfig($0.key)) => \(quotedForConfig($0.value))" }
        let launch = ServerLaunch(
            software: software,
            template: ConfigTemplate(configTemplate),
            values: [
                "USER": worker.name,
                "GROUP": worker.groupName,
                "PROGRAM": quotedForConfig(program.path),
                "ENVIRONMENT": pairs.isEmpty ? "# (none)" : "setenv.add-environment = ( \(pairs.joined(separator: ", ")) )",
            ],
            configFileName: "lighttpd.conf",
            arguments: { ["-D", "-f", $0] },
            logFileNames: ["error.log", "access.log"],
            mountPath: "/app"
        )
        return try await launch.start(in: directory)
    }

    /// The config; every path lighttpd would otherwise use outside @DIR@ points into it.
    static let configTemplate = #"""
        # lighttpd 1.4 (mod_cgi) running one CGI program at /app, for one test.
        # Rendered by IntegrationSupport's LighttpdCGIHost; started with
        #   lighttpd -D -f @DIR@/lighttpd.conf
        # and stopped with SIGTERM to its pid.
        server.bind          = "127.0.0.1"
        server.port          = @PORT@
        server.document-root = "@DIR@/www"
        server.pid-file      = "@DIR@/lighttpd.pid"
        server.errorlog      = "@DIR@/error.log"
        accesslog.filename   = "@DIR@/access.log"
        # Request bodies are spooled here (default /var/tmp).
        server.upload-dirs   = ( "@DIR@/upload" )

        # Started as root, lighttpd switches to this user after binding the port (and
        # without these lines would simply keep running as root); it opens the logs
        # after switching, so they are created beforehand, owned by @USER@.
        server.username      = "@USER@"
        server.groupname     = "@GROUP@"

        # Pass the program's output on as it comes (default 0: collect it all, then
        # send it with a Content-Length), so streaming can be observed.
        server.stream-response-body = 2
        # Request bodies up to 100 MiB (the value is in KiB).
        server.max-request-size = 102400

        server.modules = ( "mod_accesslog", "mod_setenv", "mod_alias", "mod_cgi" )
        # /app/x/y runs the program with SCRIPT_NAME=/app and PATH_INFO=/x/y.
        alias.url  = ( "/app" => @PROGRAM@ )
        # Run the file itself, whatever its name: no interpreter, no extension needed.
        cgi.assign = ( "" => "" )

        # Extra environment for the program.
        @ENVIRONMENT@

        """#
}
