// FastCGIDeployment.swift — a FastCGI application behind a front server, started for one
// test on 127.0.0.1 and stopped by pid: the server first, then the application.
import Foundation

/// The FastCGI application a launcher deploys: an executable that takes
/// `--fastcgi ADDRESS --socket-mode MODE` (as Sluice's FastCGI responders do) or, when the
/// server spawns it, finds its listening socket on descriptor 0.
public struct FastCGIApp: Sendable {
    /// The executable.
    public var executable: String
    /// Arguments other than `--fastcgi` and `--socket-mode`, such as `["--mount", "/app"]`.
    public var arguments: [String]

    /// Describes the application.
    public init(executable: String, arguments: [String] = []) {
        self.executable = executable
        self.arguments = arguments
    }
}

/// A front server and the FastCGI application behind it, serving at `/app`.
public final class FastCGIDeployment: Sendable {
    /// The front server.
    public let server: RunningServer
    /// The application process the test started, or nil when the server spawned it
    /// (lighttpd's `bin-path`), in which case the server stops it.
    public let application: ManagedProcess?

    init(server: RunningServer, application: ManagedProcess?) {
        self.server = server
        self.application = application
    }

    deinit {
        stop()
    }

    /// `http://127.0.0.1:PORT/app` followed by `pathAndQuery`.
    public func url(_ pathAndQuery: String) -> String {
        server.url(pathAndQuery)
    }

    /// The server's logs and config, then the application's logs, for failure messages.
    public func logReport() -> String {
        server.logReport() + "\n" + (application?.logReport() ?? "(the server spawned the application)")
    }

    /// Stops the server, then the application. Safe to call twice.
    public func stop() {
        server.stop()
        application?.stop()
    }

    /// Starts `app` on `listen`, then the front server `launch` describes in front of it;
    /// stops the application again when the server cannot be started.
    static func deploy(
        _ app: FastCGIApp, listen: FastCGIAddress, in directory: TemporaryDirectory,
        behind launch: () throws -> ServerLaunch
    ) async throws -> FastCGIDeployment {
        let application = try await startApplication(app, listen: listen, in: directory)
        do {
            return FastCGIDeployment(server: try await launch().start(in: directory), application: application)
        } catch {
            application.stop()
            throw error
        }
    }

    /// Starts the application on `listen` in `directory` and waits until it listens there.
    static func startApplication(_ app: FastCGIApp, listen: FastCGIAddress, in directory: TemporaryDirectory) async throws -> ManagedProcess {
        let process = try ManagedProcess(
            name: "fastcgi-app", executable: app.executable,
            arguments: ["--fastcgi", listen.argument, "--socket-mode", "666"] + app.arguments,
            workingDirectory: directory.url
        )
        // Generous: a freshly linked debug build starts slowly on a loaded machine.
        switch listen {
        case let .unixSocket(path): try await process.waitForUnixSocket(path: path, timeout: .seconds(60))
        case let .tcp(port): try await process.waitForPort(port: port, timeout: .seconds(60))
        }
        return process
    }
}

/// Where a FastCGI application listens for its front server.
public enum FastCGIAddress: Sendable, Hashable {
    /// A unix socket at this path.
    case unixSocket(String)
    /// TCP on 127.0.0.1 at this port.
    case tcp(Int)

    /// The address as `--fastcgi` takes it.
    var argument: String {
        switch self {
        case let .unixSocket(path): path
        case let .tcp(port): "127.0.0.1:\(port)"
        }
    }
}

extension ManagedProcess {
    /// Waits until a unix socket at `path` accepts connections. The file appears at `bind`,
    /// a moment before `listen`; a connection in between is refused.
    public func waitForUnixSocket(path: String, timeout: Duration = .seconds(60)) async throws {
        try await waitUntil("\(path) accepts connections", timeout: timeout) {
            let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(descriptor) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            guard path.utf8.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
            }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
                }
            }
        }
    }
}
