// LighttpdLaunch.swift — what lighttpd's launchers (CGI through mod_cgi, FastCGI through
// mod_fastcgi) share: how it is started, and the base of its config.
import Foundation

/// lighttpd 1.4 with a config of its own, started as `lighttpd -D -f DIR/lighttpd.conf` and
/// stopped by SIGTERM to its pid. Each launcher adds the modules and directives of its site.
enum LighttpdLaunch {
    /// The launch of lighttpd with ``baseConfig`` followed by `site`, mounted at `/app`.
    /// `values` fills the site's own placeholders; `@USER@` and `@GROUP@` are the worker
    /// user's. Creates the (empty) document root and the upload directory in `directory`.
    static func make(site: String, values: [String: String], in directory: TemporaryDirectory) throws -> ServerLaunch {
        let worker = try WorkerUser.lookUp()
        try FileManager.default.createDirectory(at: directory.appending("www"), withIntermediateDirectories: true)
        // Request bodies are spooled here by the worker user.
        try worker.createDirectory(at: directory.appending("upload"))
        return ServerLaunch(
            software: .lighttpd,
            template: ConfigTemplate(baseConfig + site),
            values: values.merging(["USER": worker.name, "GROUP": worker.groupName]) { site, _ in site },
            configFileName: "lighttpd.conf",
            arguments: { ["-D", "-f", $0] },
            logFileNames: ["error.log", "access.log"],
            mountPath: "/app"
        )
    }

    /// What every test's lighttpd needs; every path it would otherwise use outside @DIR@
    /// points into it.
    static let baseConfig = #"""
        # lighttpd 1.4 for one test, rendered by IntegrationSupport; started with
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

        # Pass the response on as it comes (default 0: collect it all, then send it with
        # a Content-Length), so streaming can be observed.
        server.stream-response-body = 2

        """#
}
