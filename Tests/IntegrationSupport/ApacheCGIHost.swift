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

    /// Starts Apache serving `program` at `/app`; see `CGIHost.start(program:environment:in:)`.
    public static func start(
        program: URL, environment: [String: String], in directory: TemporaryDirectory
    ) async throws -> RunningServer {
        let worker = try WorkerUser.lookUp()
        try worker.ensureCanExecute(program.path)
        try validateEnvironment(environment)
        try FileManager.default.createDirectory(at: directory.appending("www"), withIntermediateDirectories: true)
        let setEnvironment = environment.sorted { $0.key < $1.key }
            .map { "SetEnv \($0.key) \(quotedForConfig($0.value))" }
        let launch = ServerLaunch(
            software: software,
            template: ConfigTemplate(configTemplate),
            values: [
                "USER": worker.name,
                "GROUP": worker.groupName,
                "PROGRAM": quotedForConfig(program.path),
                "ENVIRONMENT": setEnvironment.isEmpty ? "# (none)" : setEnvironment.joined(separator: "\n"),
            ],
            configFileName: "apache2.conf",
            arguments: { ["-f", $0, "-DFOREGROUND"] },
            logFileNames: ["error.log", "access.log"],
            mountPath: "/app"
        )
        return try await launch.start(in: directory)
    }

    /// The config. Every path Apache would otherwise take from Debian's setup (pid
    /// file, runtime dir, mutexes, the cgid socket, logs) points into @DIR@.
    static let configTemplate = #"""
        # Apache 2.4 (event MPM + mod_cgid) running one CGI program at /app, for one test.
        # Rendered by IntegrationSupport's ApacheCGIHost; started with
        #   apache2 -f @DIR@/apache2.conf -DFOREGROUND
        # (in a session of its own) and stopped with SIGTERM to its pid.
        ServerRoot "@DIR@"
        DefaultRuntimeDir "@DIR@"
        PidFile "@DIR@/apache2.pid"
        Mutex file:@DIR@ default
        ServerName 127.0.0.1
        Listen 127.0.0.1:@PORT@

        # Started as root, httpd runs its children (and mod_cgid's daemon and the CGI
        # program) as this user; started unprivileged, it ignores these two lines.
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
        LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so
        LoadModule env_module /usr/lib/apache2/modules/mod_env.so
        LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so
        ScriptSock "@DIR@/cgid.sock"

        # Long enough for slow streaming tests, short enough to end a hung CGI.
        Timeout 30
        # Request bodies up to 100 MiB (the tests send 20 MiB; Debian's default is 1 GiB
        # on 2.4.54+, but older builds and distributions differ).
        LimitRequestBody 104857600
        # Default Off answers 404 to any path containing %2F before a handler runs;
        # NoDecode accepts it and keeps %2F encoded in PATH_INFO.
        AllowEncodedSlashes NoDecode

        DocumentRoot "@DIR@/www"
        <Directory />
            Require all denied
        </Directory>
        <Directory "@DIR@">
            Require all granted
        </Directory>

        # ScriptAlias onto a single file: /app/x/y runs it with SCRIPT_NAME=/app and
        # PATH_INFO=/x/y. The program may live outside this directory, where
        # "Require all denied" applies; the Location grant lets it run.
        ScriptAlias "/app" @PROGRAM@
        <Location "/app">
            Require all granted
        </Location>

        # Extra environment for the program.
        @ENVIRONMENT@

        """#
}
