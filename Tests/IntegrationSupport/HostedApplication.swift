// HostedApplication.swift — what every way of serving the program under test has in common,
// so one test can run against each: an address to send requests to, logs, and a stop.
import Foundation

/// The program under test, served at `http://127.0.0.1:port` + `mountPath` — by a front
/// server (`RunningServer`, `FastCGIDeployment`) or by itself (`StandaloneHTTPServer`) —
/// until `stop()`.
public protocol HostedApplication: Sendable {
    /// The TCP port clients connect to, on 127.0.0.1.
    var port: Int { get }
    /// Where the program is mounted, such as `/app`, or `""` at the root.
    var mountPath: String { get }
    /// The configs and logs of every process involved, for failure messages.
    func logReport() -> String
    /// Stops every process involved, by pid. Safe to call twice.
    func stop()
}

extension HostedApplication {
    /// `http://127.0.0.1:PORT` followed by the mount path: the program's base URL.
    public var mountedURL: String {
        "http://127.0.0.1:\(port)\(mountPath)"
    }
}

extension RunningServer: HostedApplication {}

extension FastCGIDeployment: HostedApplication {
    /// The front server's port.
    public var port: Int {
        server.port
    }

    /// Where the front server passes requests to the application.
    public var mountPath: String {
        server.mountPath
    }
}
