// NginxFastCGIHost.swift — nginx passing /app to a FastCGI application over TCP or a unix
// socket, with or without kept connections (FCGI_KEEP_CONN).
import Foundation

/// nginx 1.22 in front of a FastCGI application, started as
/// `nginx -p DIR/ -c DIR/nginx.conf -e DIR/error.log` (`daemon off;` in the file) and
/// stopped by SIGTERM to its pid. The application gets nginx's stock `fastcgi_params`
/// plus `fastcgi_split_path_info` for SCRIPT_NAME `/app` / PATH_INFO; uploads up to
/// 1 GiB unless told otherwise (`client_max_body_size`); response buffering on, except where the application sends
/// `X-Accel-Buffering: no`.
public enum NginxFastCGIHost {
    /// nginx.
    public static var software: FrontServer {
        .nginx
    }

    /// Starts `app` (on a unix socket in the directory, or on a free TCP port of 127.0.0.1)
    /// and nginx in front of it at `/app`. With `keepsConnections`, nginx keeps up to 8
    /// connections to the application open (`keepalive 8` + `fastcgi_keep_conn on`). nginx
    /// answers 413 itself to a request declaring more than `maxBodyBytes`. Unless
    /// `buffersRequestBodies`, nginx passes a request body on as it arrives
    /// (`fastcgi_request_buffering off`) instead of reading it whole first. `locations` are
    /// put into the server block beside `/app`, with `@DIR@` standing for the directory: other
    /// locations, or server-level directives such as a `rewrite`.
    public static func start(
        _ app: FastCGIApp, overTCP: Bool, keepsConnections: Bool, buffersRequestBodies: Bool = true,
        maxBodyBytes: Int = 1 << 30, locations: String = "", in directory: TemporaryDirectory
    ) async throws -> FastCGIDeployment {
        let address: FastCGIAddress = overTCP ? .tcp(try LoopbackPort.unused()) : .unixSocket(directory.appending("app.sock").path)
        return try await FastCGIDeployment.deploy(app, listen: address, in: directory) {
            try launch(
                for: address, keepsConnections: keepsConnections, buffersRequestBodies: buffersRequestBodies,
                maxBodyBytes: maxBodyBytes, locations: locations, in: directory
            )
        }
    }

    /// Starts nginx alone, in front of an application the test runs itself at `address`:
    /// for tests that stop nginx and start it again while the application goes on.
    public static func startServer(
        for address: FastCGIAddress, keepsConnections: Bool, buffersRequestBodies: Bool = true,
        maxBodyBytes: Int = 1 << 30, in directory: TemporaryDirectory
    ) async throws -> RunningServer {
        try await launch(
            for: address, keepsConnections: keepsConnections, buffersRequestBodies: buffersRequestBodies, maxBodyBytes: maxBodyBytes,
            locations: "", in: directory
        ).start(in: directory)
    }

    private static func launch(
        for address: FastCGIAddress, keepsConnections: Bool, buffersRequestBodies: Bool, maxBodyBytes: Int,
        locations: String, in directory: TemporaryDirectory
    ) throws -> ServerLaunch {
        let upstream =
            switch address {
            case let .unixSocket(path): "unix:\(path)"
            case let .tcp(port): "127.0.0.1:\(port)"
            }
        return ServerLaunch(
            software: software,
            template: ConfigTemplate(configTemplate),
            values: [
                "USER": try WorkerUser.lookUp().name,
                "UPSTREAM": upstream,
                "KEEPALIVE": keepsConnections ? "keepalive 8;" : "# no kept connections",
                "KEEP_CONN": keepsConnections ? "fastcgi_keep_conn on;" : "# fastcgi_keep_conn off (default)",
                "REQUEST_BUFFERING": buffersRequestBodies ? "# fastcgi_request_buffering on (default)" : "fastcgi_request_buffering off;",
                "MAX_BODY": String(maxBodyBytes),
                "LOCATIONS": locations.replacingOccurrences(of: "@DIR@", with: directory.path),
            ],
            configFileName: "nginx.conf",
            arguments: { ["-p", directory.path + "/", "-c", $0, "-e", directory.appending("error.log").path] },
            logFileNames: ["error.log", "access.log"],
            mountPath: "/app"
        )
    }

    /// The config (the one Docs/nginx.md shows, with every path in @DIR@).
    static let configTemplate = #"""
        # nginx in front of a FastCGI application at /app, for one test.
        # Rendered by IntegrationSupport's NginxFastCGIHost; started with
        #   nginx -p @DIR@/ -c @DIR@/nginx.conf -e @DIR@/error.log
        # and stopped with SIGTERM to its pid.
        user @USER@;
        worker_processes 1;
        daemon off;
        pid @DIR@/nginx.pid;
        error_log @DIR@/error.log info;
        events { worker_connections 256; }
        http {
            access_log @DIR@/access.log;
            client_body_temp_path @DIR@/client_body;
            proxy_temp_path       @DIR@/proxy;
            fastcgi_temp_path     @DIR@/fastcgi;
            uwsgi_temp_path       @DIR@/uwsgi;
            scgi_temp_path        @DIR@/scgi;
            client_max_body_size @MAX_BODY@;

            upstream sluice_app {
                server @UPSTREAM@;
                @KEEPALIVE@
            }
            server {
                listen 127.0.0.1:@PORT@;
                server_name localhost;
                location /app {
                    fastcgi_split_path_info ^(/app)(.*)$;
                    include /etc/nginx/fastcgi_params;
                    fastcgi_param PATH_INFO $fastcgi_path_info;
                    fastcgi_read_timeout 30s;
                    @KEEP_CONN@
                    @REQUEST_BUFFERING@
                    fastcgi_pass sluice_app;
                }
                @LOCATIONS@
            }
        }
        """#
}
