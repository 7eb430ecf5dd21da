// FrontServer.swift — the external programs integration tests run, and where they are installed.
import Foundation

/// A program the integration tests run from the machine: a front server (nginx,
/// Apache, lighttpd, Caddy) or a tool used beside one (curl, spawn-fcgi).
///
/// Only its presence is checked here; `FrontServer+Requirement.swift` decides what a
/// test does when it is missing.
public struct FrontServer: Sendable, Hashable, CustomStringConvertible {
    /// The executable's file name, such as `apache2`.
    public let executableName: String
    /// The Debian package that installs it, named in skip and failure messages.
    public let debianPackage: String

    /// Describes a program by its executable's file name and the package that installs it.
    public init(executableName: String, debianPackage: String) {
        self.executableName = executableName
        self.debianPackage = debianPackage
    }

    /// nginx, the event-driven HTTP server and reverse proxy.
    public static let nginx = FrontServer(executableName: "nginx", debianPackage: "nginx")
    /// Apache httpd 2.4 (Debian names its binary `apache2`).
    public static let apache2 = FrontServer(executableName: "apache2", debianPackage: "apache2")
    /// lighttpd 1.4.
    public static let lighttpd = FrontServer(executableName: "lighttpd", debianPackage: "lighttpd")
    /// Caddy 2.
    public static let caddy = FrontServer(executableName: "caddy", debianPackage: "caddy")
    /// h2o 2.2, whose CGI handler sets no `GATEWAY_INTERFACE`.
    public static let h2o = FrontServer(executableName: "h2o", debianPackage: "h2o")
    /// The curl command-line client, which `Curl` runs.
    public static let curl = FrontServer(executableName: "curl", debianPackage: "curl")
    /// spawn-fcgi, which starts a FastCGI app with a listening socket on its fd 0.
    public static let spawnFCGI = FrontServer(executableName: "spawn-fcgi", debianPackage: "spawn-fcgi")
    /// wrk, the HTTP load generator the benchmarks and the load tests run.
    public static let wrk = FrontServer(executableName: "wrk", debianPackage: "wrk")
    /// iproute2's `ip`, which makes the network namespaces of the scale-out test.
    public static let ip = FrontServer(executableName: "ip", debianPackage: "iproute2")
    /// systemd's socket activation from the command line: listening sockets passed with
    /// `LISTEN_FDS` and `LISTEN_FDNAMES`, as a socket unit passes them.
    public static let systemdSocketActivate = FrontServer(executableName: "systemd-socket-activate", debianPackage: "systemd")
    /// libfcgi's command-line FastCGI client.
    public static let cgiFCGI = FrontServer(executableName: "cgi-fcgi", debianPackage: "libfcgi-bin")

    /// The absolute path of the executable: the first match in `/usr/sbin`, `/usr/bin`,
    /// then each directory of `PATH` (the sbin directories are often missing from a
    /// non-root PATH), or nil when it is not installed.
    public var executablePath: String? {
        Self.executablePath(named: executableName)
    }

    /// Whether the executable is installed where `executablePath` looks.
    public var isInstalled: Bool {
        executablePath != nil
    }

    /// The executable's name.
    public var description: String {
        executableName
    }

    /// Looks `name` up the way `executablePath` does; a name containing a slash is
    /// taken as a path and only checked.
    static func executablePath(named name: String) -> String? {
        if name.contains("/") {
            return isExecutableFile(name) ? name : nil
        }
        let pathDirectories = (ProcessInfo.processInfo.environment["PATH"] ?? "")
            .split(separator: ":").map(String.init)
        for directory in ["/usr/sbin", "/usr/bin"] + pathDirectories where !directory.isEmpty {
            let candidate = directory + "/" + name
            if isExecutableFile(candidate) {
                return candidate
            }
        }
        return nil
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            return false
        }
        return access(path, X_OK) == 0
    }
}
