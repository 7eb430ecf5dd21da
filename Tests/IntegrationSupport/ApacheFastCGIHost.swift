// ApacheFastCGIHost.swift — Apache httpd 2.4 passing /app to a FastCGI application through
// mod_proxy_fcgi over a unix socket.
import Foundation

/// Apache 2.4 (event MPM) with mod_proxy_fcgi in front of a FastCGI application on a unix
/// socket, started as `apache2 -f DIR/apache2.conf -DFOREGROUND` (its own session) and
/// stopped by SIGTERM to its pid. Connections are reused (`enablereuse=on`), each
/// FCGI_STDOUT record is passed on at once (`flushpackets=on`), and `%2F` is allowed in
/// paths (`AllowEncodedSlashes NoDecode`). A chunked upload reaches the application with
/// no CONTENT_LENGTH.
public enum ApacheFastCGIHost {
    /// Apache httpd (`apache2`).
    public static var software: FrontServer {
        .apache2
    }

    /// Starts `app` on a unix socket in the directory and Apache in front of it at `/app`.
    public static func start(_ app: FastCGIApp, in directory: TemporaryDirectory) async throws -> FastCGIDeployment {
        let socket = directory.appending("app.sock").path
        let application = try await FastCGIDeployment.startApplication(app, listen: .unixSocket(socket), in: directory)
        let worker = try WorkerUser.lookUp()
        try FileManager.default.createDirectory(at: directory.appending("www"), withIntermediateDirectories: true)
        let launch = ServerLaunch(
            software: software,
            template: ConfigTemplate(configTemplate),
            values: ["USER": worker.name, "GROUP": worker.groupName, "SOCKET": socket],
            configFileName: "apache2.conf",
            arguments: { ["-f", $0, "-DFOREGROUND"] },
            logFileNames: ["error.log", "access.log"],
            mountPath: "/app"
        )
        do {
            return FastCGIDeployment(server: try await launch.start(in: directory), application: application)
        } catch {
            application.stop()
            throw error
        }
    }

    /// The config (the one Docs/apache.md shows, with every path in @DIR@).
    static let configTemplate = #"""
        # Apache 2.4 + mod_proxy_fcgi in front of a FastCGI application at /app, for one test.
        # Rendered by IntegrationSupport's ApacheFastCGIHost; started with
        #   apache2 -f @DIR@/apache2.conf -DFOREGROUND
        # (in a session of its own) and stopped with SIGTERM to its pid.
        ServerRoot "@DIR@"
        DefaultRuntimeDir "@DIR@"
        PidFile "@DIR@/apache2.pid"
        Mutex file:@DIR@ default
        ServerName 127.0.0.1
        Listen 127.0.0.1:@PORT@
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
        LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
        LoadModule proxy_fcgi_module /usr/lib/apache2/modules/mod_proxy_fcgi.so
        LoadModule setenvif_module /usr/lib/apache2/modules/mod_setenvif.so

        Timeout 30
        LimitRequestBody 1073741824
        # Default Off answers 404 to any path containing %2F before a handler runs.
        AllowEncodedSlashes NoDecode
        DocumentRoot "@DIR@/www"
        <Directory />
            Require all denied
        </Directory>
        <Location "/app">
            Require all granted
        </Location>

        ProxyFCGIBackendType GENERIC
        # PATH_INFO below /app (the adapter takes the split from its --mount anyway).
        SetEnvIf Request_URI "^/app" proxy-fcgi-pathinfo=unescape
        # Keep backend connections (FCGI_KEEP_CONN); pass each FCGI_STDOUT record on at once.
        ProxyPass "/app" "unix:@SOCKET@|fcgi://localhost" enablereuse=on flushpackets=on
        """#
}
