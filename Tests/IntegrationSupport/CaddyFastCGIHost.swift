// CaddyFastCGIHost.swift — Caddy 2 passing /app to a FastCGI application over a unix socket
// with its fastcgi transport.
import Foundation

/// Caddy 2.6 in front of a FastCGI application on a unix socket
/// (`reverse_proxy … { transport fastcgi { split /app } }`), started as
/// `caddy run --config DIR/Caddyfile --adapter caddyfile` with HOME in the directory and
/// stopped by SIGTERM to its pid. Responses are passed on as they come
/// (`flush_interval -1`); a chunked upload reaches the application with CONTENT_LENGTH -1.
public enum CaddyFastCGIHost {
    /// Caddy.
    public static var software: FrontServer {
        .caddy
    }

    /// Starts `app` on a unix socket in the directory and Caddy in front of it at `/app`.
    public static func start(_ app: FastCGIApp, in directory: TemporaryDirectory) async throws -> FastCGIDeployment {
        let socket = directory.appending("app.sock").path
        return try await FastCGIDeployment.deploy(app, listen: .unixSocket(socket), in: directory) {
            try FileManager.default.createDirectory(at: directory.appending("www"), withIntermediateDirectories: true)
            return ServerLaunch(
                software: software,
                template: ConfigTemplate(configTemplate),
                values: ["SOCKET": socket],
                configFileName: "Caddyfile",
                arguments: { ["run", "--config", $0, "--adapter", "caddyfile"] },
                logFileNames: ["access.log"],
                mountPath: "/app"
            )
        }
    }

    /// The config (the one Docs/caddy.md shows, with every path in @DIR@).
    static let configTemplate = #"""
        # Caddy in front of a FastCGI application at /app, for one test.
        # Rendered by IntegrationSupport's CaddyFastCGIHost; started with
        #   caddy run --config @DIR@/Caddyfile --adapter caddyfile
        # (HOME pointing into @DIR@) and stopped with SIGTERM to its pid.
        {
        	admin off
        	auto_https off
        	storage file_system @DIR@/data
        }
        http://127.0.0.1:@PORT@ {
        	bind 127.0.0.1
        	root * @DIR@/www
        	log {
        		output file @DIR@/access.log
        	}
        	reverse_proxy /app* unix/@SOCKET@ {
        		flush_interval -1
        		transport fastcgi {
        			split /app
        		}
        	}
        }
        """#
}
