// ApacheLaunch.swift — what Apache's launchers (CGI through mod_cgid, FastCGI through
// mod_proxy_fcgi) share: how httpd is started, and the base of its config.
import Foundation

/// Apache httpd 2.4 with the event MPM and a config of its own (Debian's `/etc/apache2` is
/// not read), started as `apache2 -f DIR/apache2.conf -DFOREGROUND` and stopped by SIGTERM
/// to its pid. Each launcher adds the modules and directives of its site.
enum ApacheLaunch {
    /// The launch of httpd with ``baseConfig`` followed by `site`, mounted at `/app`.
    /// `values` fills the site's own placeholders; `@USER@` and `@GROUP@` are the worker
    /// user's. Creates the (empty) document root in `directory`.
    static func make(site: String, values: [String: String], in directory: TemporaryDirectory) throws -> ServerLaunch {
        let worker = try WorkerUser.lookUp()
        try FileManager.default.createDirectory(at: directory.appending("www"), withIntermediateDirectories: true)
        return ServerLaunch(
            software: .apache2,
            template: ConfigTemplate(baseConfig + site),
            values: values.merging(["USER": worker.name, "GROUP": worker.groupName]) { site, _ in site },
            configFileName: "apache2.conf",
            arguments: { ["-f", $0, "-DFOREGROUND"] },
            logFileNames: ["error.log", "access.log"],
            mountPath: "/app"
        )
    }

    /// What every test's httpd needs: every path it would otherwise take from Debian's
    /// setup (pid file, runtime dir, mutexes, logs) points into @DIR@; a small event MPM;
    /// nothing served outside /app.
    static let baseConfig = #"""
        # Apache 2.4 (event MPM) for one test, rendered by IntegrationSupport; started with
        #   apache2 -f @DIR@/apache2.conf -DFOREGROUND
        # (in a session of its own) and stopped with SIGTERM to its pid.
        ServerRoot "@DIR@"
        DefaultRuntimeDir "@DIR@"
        PidFile "@DIR@/apache2.pid"
        Mutex file:@DIR@ default
        ServerName 127.0.0.1
        Listen 127.0.0.1:@PORT@

        # Started as root, httpd runs its children (and what they start) as this user;
        # started unprivileged, it ignores these two lines.
        User @USER@
        Group @GROUP@

        ErrorLog "@DIR@/error.log"
        LogLevel warn
        LogFormat "%h \"%r\" %>s %b %D" timed
        CustomLog "@DIR@/access.log" timed

        LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
        StartServers 1
        ServerLimit 2
        ThreadsPerChild 8
        MaxRequestWorkers 16
        MinSpareThreads 1
        MaxSpareThreads 16

        LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so

        # Long enough for slow streaming tests, short enough to end a hung request.
        Timeout 30
        # Default Off answers 404 to any path containing %2F before a handler runs;
        # NoDecode accepts it and keeps %2F encoded in PATH_INFO.
        AllowEncodedSlashes NoDecode

        DocumentRoot "@DIR@/www"
        <Directory />
            Require all denied
        </Directory>

        """#
}
