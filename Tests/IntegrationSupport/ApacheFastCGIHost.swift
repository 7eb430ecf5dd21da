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
    /// Apache answers 413 itself to a request declaring more than `maxBodyBytes`
    /// (`LimitRequestBody`, 1 GiB unless told otherwise).
    public static func start(
        _ app: FastCGIApp, maxBodyBytes: Int = 1 << 30, in directory: TemporaryDirectory
    ) async throws -> FastCGIDeployment {
        let socket = directory.appending("app.sock").path
        return try await FastCGIDeployment.deploy(app, listen: .unixSocket(socket), in: directory) {
            try ApacheLaunch.make(site: siteConfig, values: ["SOCKET": socket, "MAX_BODY": String(maxBodyBytes)], in: directory)
        }
    }

    /// The site, after `ApacheLaunch.baseConfig` (together, the config Docs/apache.md
    /// shows, with every path in @DIR@).
    static let siteConfig = #"""
        # mod_proxy_fcgi in front of a FastCGI application at /app (IntegrationSupport's
        # ApacheFastCGIHost).
        LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
        LoadModule proxy_fcgi_module /usr/lib/apache2/modules/mod_proxy_fcgi.so
        LoadModule setenvif_module /usr/lib/apache2/modules/mod_setenvif.so

        LimitRequestBody @MAX_BODY@
        <Location "/app">
            Require all granted
            # Without it Apache withholds Authorization from CGI programs and FastCGI
            # backends alike, and Bearer or Basic authentication silently fails.
            CGIPassAuth On
        </Location>

        ProxyFCGIBackendType GENERIC
        # PATH_INFO below /app (the adapter takes the split from its --mount anyway).
        SetEnvIf Request_URI "^/app" proxy-fcgi-pathinfo=unescape
        # Keep backend connections (FCGI_KEEP_CONN); pass each FCGI_STDOUT record on at once.
        ProxyPass "/app" "unix:@SOCKET@|fcgi://localhost" enablereuse=on flushpackets=on
        """#
}
