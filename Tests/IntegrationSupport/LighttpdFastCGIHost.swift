// LighttpdFastCGIHost.swift — lighttpd 1.4 spawning a FastCGI application itself
// (mod_fastcgi `bin-path`) and passing /app to it.
import Foundation

/// lighttpd 1.4 with mod_fastcgi, which starts the application itself with a listening
/// unix socket on descriptor 0 (`bin-path`), started as `lighttpd -D -f DIR/lighttpd.conf`
/// and stopped by SIGTERM to its pid (lighttpd then stops the application). Responses are
/// passed on as they come (`server.stream-response-body = 2`); uploads are spooled and
/// passed with a CONTENT_LENGTH, chunked ones too.
public enum LighttpdFastCGIHost {
    /// lighttpd.
    public static var software: FrontServer {
        .lighttpd
    }

    /// Starts lighttpd, which spawns `app` (as its worker user, with `app.arguments`).
    public static func start(_ app: FastCGIApp, in directory: TemporaryDirectory) async throws -> FastCGIDeployment {
        let worker = try WorkerUser.lookUp()
        try worker.ensureCanExecute(app.executable)
        try FileManager.default.createDirectory(at: directory.appending("www"), withIntermediateDirectories: true)
        try worker.createDirectory(at: directory.appending("upload"))
        try worker.createDirectory(at: directory.appending("run"))
        let launch = ServerLaunch(
            software: software,
            template: ConfigTemplate(configTemplate),
            values: [
                "USER": worker.name,
                "GROUP": worker.groupName,
                "APP": ([app.executable] + app.arguments).joined(separator: " "),
            ],
            configFileName: "lighttpd.conf",
            arguments: { ["-D", "-f", $0] },
            logFileNames: ["error.log", "access.log"],
            mountPath: "/app"
        )
        return FastCGIDeployment(server: try await launch.start(in: directory), application: nil)
    }

    /// The config (the one Docs/lighttpd.md shows, with every path in @DIR@).
    static let configTemplate = #"""
        # lighttpd 1.4 (mod_fastcgi, bin-path) running a FastCGI application at /app, for one test.
        # Rendered by IntegrationSupport's LighttpdFastCGIHost; started with
        #   lighttpd -D -f @DIR@/lighttpd.conf
        # and stopped with SIGTERM to its pid, which also stops the application.
        server.bind          = "127.0.0.1"
        server.port          = @PORT@
        server.document-root = "@DIR@/www"
        server.pid-file      = "@DIR@/lighttpd.pid"
        server.errorlog      = "@DIR@/error.log"
        accesslog.filename   = "@DIR@/access.log"
        server.upload-dirs   = ( "@DIR@/upload" )
        server.username      = "@USER@"
        server.groupname     = "@GROUP@"
        # Pass the response on as it comes (default 0 collects it all first).
        server.stream-response-body = 2
        # Request bodies up to 1 GiB (the value is in KiB).
        server.max-request-size = 1048576
        server.modules = ( "mod_accesslog", "mod_fastcgi" )
        fastcgi.server = ( "/app" => ((
            # lighttpd creates the socket (appending "-0"), passes it as descriptor 0 to
            # the application it starts, restarts it if it dies, and stops it on exit.
            "socket"      => "@DIR@/run/app.sock",
            "bin-path"    => "@APP@",
            "max-procs"   => 1,
            "check-local" => "disable",
        )))
        """#
}
