// LighttpdCGIHost.swift — lighttpd 1.4 running one CGI program through mod_cgi at /app.
public import Foundation

/// lighttpd 1.4 with mod_cgi, started as `lighttpd -D -f DIR/lighttpd.conf` and
/// stopped by SIGTERM to its pid.
///
/// Response bodies are passed on as the program writes them
/// (`server.stream-response-body = 2`; lighttpd's default would collect the whole
/// response first). Request bodies keep lighttpd's default: spooled, then passed with
/// a CONTENT_LENGTH — also for chunked requests. PATH_INFO arrives decoded, `%2F`
/// included.
public enum LighttpdCGIHost: CGIHost {
    /// lighttpd.
    public static var software: FrontServer {
        .lighttpd
    }

    /// Starts lighttpd serving `program` at `/app`; see `CGIHost.start(program:environment:maxBodyBytes:in:)`.
    public static func start(
        program: URL, environment: [String: String], maxBodyBytes: Int, in directory: TemporaryDirectory
    ) async throws -> RunningServer {
        try checkProgram(program, environment: environment)
        let pairs = environment.sorted { $0.key < $1.key }
            .map { "\(quotedForConfig($0.key)) => \(quotedForConfig($0.value))" }
        let launch = try LighttpdLaunch.make(
            site: siteConfig,
            values: [
                "PROGRAM": quotedForConfig(program.path),
                "ENVIRONMENT": pairs.isEmpty ? "# (none)" : "setenv.add-environment = ( \(pairs.joined(separator: ", ")) )",
                // server.max-request-size is in KiB.
                "MAX_BODY_KIB": String((maxBodyBytes + 1023) / 1024),
            ],
            in: directory
        )
        return try await launch.start(in: directory)
    }

    /// The site, after `LighttpdLaunch.baseConfig`: mod_cgi running the program at /app.
    static let siteConfig = #"""
        # mod_cgi running one CGI program at /app (IntegrationSupport's LighttpdCGIHost).
        # The request body limit (the value is in KiB); lighttpd answers 413 itself beyond it.
        server.max-request-size = @MAX_BODY_KIB@

        server.modules = ( "mod_accesslog", "mod_setenv", "mod_alias", "mod_cgi" )
        # /app/x/y runs the program with SCRIPT_NAME=/app and PATH_INFO=/x/y.
        alias.url  = ( "/app" => @PROGRAM@ )
        # Run the file itself, whatever its name: no interpreter, no extension needed.
        cgi.assign = ( "" => "" )

        # Extra environment for the program.
        @ENVIRONMENT@

        """#
}
