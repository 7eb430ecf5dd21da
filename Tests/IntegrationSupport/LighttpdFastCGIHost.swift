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
    /// lighttpd answers 413 itself to a request declaring more than `maxBodyBytes`
    /// (`server.max-request-size`, in KiB: rounded up; 1 GiB unless told otherwise).
    public static func start(
        _ app: FastCGIApp, maxBodyBytes: Int = 1 << 30, in directory: TemporaryDirectory
    ) async throws -> FastCGIDeployment {
        let worker = try WorkerUser.lookUp()
        try worker.ensureCanExecute(app.executable)
        try worker.createDirectory(at: directory.appending("run"))
        let launch = try LighttpdLaunch.make(
            site: siteConfig,
            values: [
                "APP": ([app.executable] + app.arguments).joined(separator: " "),
                "MAX_BODY_KIB": String((maxBodyBytes + 1023) / 1024),
            ],
            in: directory
        )
        return FastCGIDeployment(server: try await launch.start(in: directory), application: nil)
    }

    /// The site, after `LighttpdLaunch.baseConfig` (together, the config Docs/lighttpd.md
    /// shows, with every path in @DIR@).
    static let siteConfig = #"""
        # mod_fastcgi (bin-path) running a FastCGI application at /app (IntegrationSupport's
        # LighttpdFastCGIHost); stopping lighttpd also stops the application.
        # The request body limit (the value is in KiB).
        server.max-request-size = @MAX_BODY_KIB@
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
