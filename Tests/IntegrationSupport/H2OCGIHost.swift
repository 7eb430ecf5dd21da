// H2OCGIHost.swift — h2o 2.2 running one CGI program through its FastCGI-to-CGI bridge.
public import Foundation

/// h2o 2.2 running a CGI program, started as `h2o -c DIR/h2o.conf` and stopped by SIGTERM to
/// its pid.
///
/// h2o has no CGI of its own: a file handler hands `*.cgi` files to the bridge it ships,
/// `/usr/share/h2o/fastcgi-cgi` (perl), which it spawns as its worker user. The program is
/// served at `/app.cgi` (the handler needs the extension): `/app.cgi/x?y` runs it with
/// SCRIPT_NAME `/app.cgi`, PATH_INFO `/x`, QUERY_STRING `y` — and, unlike Apache and
/// lighttpd, no GATEWAY_INTERFACE (Docs/server-matrix.md §5).
public enum H2OCGIHost {
    /// h2o.
    public static var software: FrontServer {
        .h2o
    }

    /// Starts h2o serving a copy of `program` at `/app.cgi`; `RunningServer.mountPath` says so.
    public static func start(program: URL, in directory: TemporaryDirectory) async throws -> RunningServer {
        let worker = try WorkerUser.lookUp()
        try FileManager.default.createDirectory(at: directory.appending("cgiroot"), withIntermediateDirectories: true)
        let copy = try directory.copyProgram(from: program.path, as: "cgiroot/app.cgi")
        try checkProgram(copy, environment: [:])
        // h2o writes its pid file, and spools request bodies, as the worker user.
        try worker.createDirectory(at: directory.appending("run"))
        try worker.createDirectory(at: directory.appending("upload"))
        let launch = ServerLaunch(
            software: software,
            template: ConfigTemplate(configTemplate),
            values: ["USER": worker.name],
            configFileName: "h2o.conf",
            arguments: { ["-c", $0] },
            logFileNames: ["error.log", "access.log"],
            mountPath: "/app.cgi"
        )
        return try await launch.start(in: directory)
    }

    /// The config (after the h2o CGI configuration of Docs/server-matrix.md, with every path in @DIR@).
    static let configTemplate = #"""
        # h2o running one CGI program through its bundled bridge, for one test.
        # Rendered by IntegrationSupport's H2OCGIHost; started with
        #   h2o -c @DIR@/h2o.conf
        # and stopped with SIGTERM to its pid. Started as root, h2o setuid()s to this user
        # after binding, then writes its pid file and spawns the bridge.
        user: @USER@
        pid-file: @DIR@/run/h2o.pid
        error-log: @DIR@/error.log
        temp-buffer-path: @DIR@/upload
        listen:
          host: 127.0.0.1
          port: @PORT@
        hosts:
          default:
            access-log: @DIR@/access.log
            paths:
              /:
                file.dir: @DIR@/cgiroot
                file.custom-handler:
                  extension: .cgi
                  fastcgi.spawn: "exec /usr/share/h2o/fastcgi-cgi"
        """#
}
