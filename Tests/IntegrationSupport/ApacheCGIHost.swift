// ApacheCGIHost.swift — Apache httpd 2.4, event MPM, running one CGI program through
// mod_cgid at /app.
public import Foundation

/// Apache 2.4 with the event MPM and mod_cgid, started as
/// `apache2 -f DIR/apache2.conf -DFOREGROUND` with a config of its own (Debian's
/// `/etc/apache2` is not read) and stopped by SIGTERM to its pid.
///
/// Request paths reach the program as Apache passes them: PATH_INFO decoded, but an
/// encoded slash kept as `%2F` (`AllowEncodedSlashes NoDecode`; the default would
/// answer 404 itself). A chunked request body arrives with no CONTENT_LENGTH.
public enum ApacheCGIHost: CGIHost {
    /// Apache httpd (`apache2`).
    public static var software: FrontServer {
        .apache2
    }

    /// Starts Apache serving `program` at `/app`; see `CGIHost.start(program:environment:maxBodyBytes:in:)`.
    public static func start(
        program: URL, environment: [String: String], maxBodyBytes: Int, in directory: TemporaryDirectory
    ) async throws -> RunningServer {
        try checkProgram(program, environment: environment)
        let setEnvironment = environment.sorted { $0.key < $1.key }
            .map { "SetEnv \($0.key) \(quotedForConfig($0.value))" }
        let launch = try ApacheLaunch.make(
            site: siteConfig,
            values: [
                "PROGRAM": quotedForConfig(program.path),
                "ENVIRONMENT": setEnvironment.isEmpty ? "# (none)" : setEnvironment.joined(separator: "\n"),
                "MAX_BODY": String(maxBodyBytes),
            ],
            in: directory
        )
        return try await launch.start(in: directory)
    }

    /// The site, after `ApacheLaunch.baseConfig`: mod_cgid (its socket in @DIR@) running
    /// the program at /app.
    static let siteConfig = #"""
        # mod_cgid running one CGI program at /app (IntegrationSupport's ApacheCGIHost).
        LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so
        LoadModule env_module /usr/lib/apache2/modules/mod_env.so
        LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so
        ScriptSock "@DIR@/cgid.sock"

        # The request body limit; Apache answers 413 itself beyond it.
        LimitRequestBody @MAX_BODY@

        <Directory "@DIR@">
            Require all granted
        </Directory>

        # ScriptAlias onto a single file: /app/x/y runs it with SCRIPT_NAME=/app and
        # PATH_INFO=/x/y. The program may live outside this directory, where
        # "Require all denied" applies; the Location grant lets it run.
        ScriptAlias "/app" @PROGRAM@
        <Location "/app">
            Require all granted
            # Without it Apache withholds Authorization from CGI programs and FastCGI
            # backends alike, and Bearer or Basic authentication silently fails.
            CGIPassAuth On
        </Location>

        # Extra environment for the program.
        @ENVIRONMENT@

        """#
}
