// Flag > environment variable > default, for every kind of setting.

import ArgumentParser
import SluiceFastCGI
import SluiceHTTP
import SluiceMiddleware
import Testing

@testable import SluiceServe

@Suite("serve(_:) settings")
struct SettingsTests {
    private func settings(_ arguments: [String], _ environment: [String: String] = [:]) throws -> ServeSettings {
        try ServeSettings(options: ServeCommand.parse(arguments), environment: environment)
    }

    @Test("no flags and no variables leave the adapters' defaults")
    func defaults() throws {
        let settings = try settings([])
        #expect(settings.requestedMode == nil)
        #expect(settings.http.limits == HTTPServerConfiguration.Limits())
        #expect(settings.fastCGI == FastCGIConfiguration())
        #expect(settings.logFormat == .human)
        #expect(settings.logLevel == .info)
    }

    @Test("a flag wins over its environment variable, which wins over the default")
    func precedence() throws {
        let environment = ["SLUICE_MAX_BODY_BYTES": "2048", "SLUICE_WORKERS": "7", "SLUICE_LOG_FORMAT": "json"]
        let fromVariables = try settings([], environment)
        #expect(fromVariables.http.limits.maxBodyBytes == 2048)
        #expect(fromVariables.fastCGI.limits.maxBodyBytes == 2048)
        #expect(fromVariables.fastCGI.workerCount == 7)
        #expect(fromVariables.logFormat == .json)
        let fromFlags = try settings(["--max-body-bytes", "4096", "--workers", "9", "--log-format", "human"], environment)
        #expect(fromFlags.http.limits.maxBodyBytes == 4096)
        #expect(fromFlags.fastCGI.workerCount == 9)
        #expect(fromFlags.logFormat == .human)
    }

    @Test("[SEC-3] limits and timeouts reach both adapters' configurations")
    func limitsAndTimeouts() throws {
        let settings = try settings([
            "--max-target-bytes", "100", "--max-header-bytes", "200", "--max-header-count", "3", "--max-params-bytes", "400",
            "--idle-timeout", "1.5", "--head-timeout", "2", "--body-timeout", "3", "--write-timeout", "4", "--read-timeout", "5",
            "--shutdown-grace", "6", "--processes", "2", "--socket-mode", "666", "--mount", "/app", "--server-header", "",
        ])
        #expect(settings.http.limits.maxTargetBytes == 100)
        #expect(settings.http.limits.maxHeaderBytes == 200)
        #expect(settings.http.limits.maxHeaderCount == 3)
        #expect(settings.fastCGI.limits.maxParamsBytes == 400)
        #expect(settings.http.timeouts == .init(idle: .milliseconds(1500), requestHead: .seconds(2), bodyRead: .seconds(3), responseWrite: .seconds(4)))
        #expect(settings.fastCGI.limits.readTimeout == .seconds(5))
        #expect(settings.fastCGI.limits.minBodyRate == MinimumBodyRate(bytesPerSecond: 500, grace: .seconds(20)))
        #expect(settings.http.shutdownGracePeriod == .seconds(6))
        #expect(settings.fastCGI.shutdownGracePeriod == .seconds(6))
        #expect(settings.fastCGI.processCount == 2)
        #expect(settings.fastCGI.socketMode == 0o666)
        // One mount for both modes: serve wraps the application in Mount (Spec CGI-3).
        #expect(settings.mountPath == "/app")
        #expect(settings.http.serverHeader == nil)
    }

    @Test("[SEC-5] --min-body-rate and --body-rate-grace set the FastCGI minimum body rate; 0 turns it off")
    func minBodyRate() throws {
        let both = try settings(["--min-body-rate", "1000", "--body-rate-grace", "2.5"])
        #expect(both.fastCGI.limits.minBodyRate == MinimumBodyRate(bytesPerSecond: 1000, grace: .milliseconds(2500)))
        let fromVariables = try settings([], ["SLUICE_MIN_BODY_RATE": "64", "SLUICE_BODY_RATE_GRACE": "3"])
        #expect(fromVariables.fastCGI.limits.minBodyRate == MinimumBodyRate(bytesPerSecond: 64, grace: .seconds(3)))
        #expect(try settings(["--min-body-rate", "0", "--body-rate-grace", "3"]).fastCGI.limits.minBodyRate == nil)
        #expect(throws: (any Error).self) { try settings(["--min-body-rate", "-1"]) }
    }

    @Test("a bad value is an error naming the flag or the variable")
    func badValues() throws {
        #expect(throws: (any Error).self) { try settings(["--workers", "0"]) }
        #expect(throws: (any Error).self) { try settings(["--idle-timeout", "-1"]) }
        #expect(throws: (any Error).self) { try settings(["--socket-mode", "999"]) }
        #expect(throws: (any Error).self) { try settings(["--nope"]) }
        #expect(throws: (any Error).self) { try settings([], ["SLUICE_MAX_BODY_BYTES": "lots"]) }
        #expect(throws: (any Error).self) { try settings(["--http", ":8080", "--fastcgi", ":9000"]) }
        #expect(throws: (any Error).self) { try settings([], ["SLUICE_HTTP": ":8080", "SLUICE_SYSTEMD": "http"]) }
    }

    @Test("a mode flag wins over a mode variable")
    func modePrecedence() throws {
        let settings = try settings(["--fastcgi", "/run/app.sock"], ["SLUICE_HTTP": "8000"])
        #expect(settings.requestedMode == .fastCGI(.unixSocket(path: "/run/app.sock")))
        #expect(try self.settings([], ["SLUICE_HTTP": "8000"]).requestedMode == .http(.tcp(host: "127.0.0.1", port: 8000)))
        #expect(try self.settings(["--systemd", "fastcgi"]).requestedMode == .systemd(.fastcgi))
    }

    @Test("flags one adapter does not use are noted for a warning")
    func unusedFlags() throws {
        let settings = try settings(["--workers", "4", "--idle-timeout", "5"])
        #expect(settings.fastCGIOnly == ["--workers"])
        #expect(settings.httpOnly == ["--idle-timeout"])
    }

    @Test("every flag's variable is SLUICE_ and its name")
    func variableNames() {
        #expect(EnvironmentFallback.flagName("SLUICE_MAX_BODY_BYTES") == "--max-body-bytes")
        let help = ServeCommand.helpMessage()
        for flag in ["--max-body-bytes", "--idle-timeout", "--workers", "--log-format", "--http", "--fastcgi", "--systemd"] {
            #expect(help.contains(flag))
            let variable = "SLUICE_" + String(flag.dropFirst(2).uppercased().map { $0 == "-" ? "_" : $0 })
            #expect(help.contains("[\(variable)]"))
        }
    }

    @Test("the access log is Combined by default, JSON with --log-format json, and each format or off by flag or variable")
    func accessLog() throws {
        #expect(try settings([]).operations.accessLog == .combined)
        #expect(try settings(["--log-format", "json"]).operations.accessLog == .json)
        #expect(try settings(["--access-log", "common"]).operations.accessLog == .common)
        #expect(try settings([], ["SLUICE_ACCESS_LOG": "off"]).operations.accessLog == nil)
        #expect(throws: (any Error).self) { try settings(["--access-log", "apache"]) }
    }

    @Test("request ids use X-Request-ID unless renamed; an empty name turns them off; a bad name is an error")
    func requestIDHeader() throws {
        #expect(try settings([]).operations.requestIDHeader == "X-Request-ID")
        #expect(try settings(["--request-id-header", "X-Correlation-ID"]).operations.requestIDHeader == "X-Correlation-ID")
        #expect(try settings([], ["SLUICE_REQUEST_ID_HEADER": ""]).operations.requestIDHeader == nil)
        #expect(throws: (any Error).self) { try settings(["--request-id-header", "bad name"]) }
    }

    @Test("[SEC-6] no proxy is trusted by default; a list and a hop count are read; a bad list stops the program")
    func trustedProxies() throws {
        #expect(try settings([]).operations.trustedProxies == nil)
        let proxies = try #require(try settings(["--trusted-proxies", "10.0.0.0/8, ::1", "--proxy-hops", "2"]).operations.trustedProxies)
        #expect(proxies.networks.map(\.description) == ["10.0.0.0/8", "::1"])
        #expect(proxies.hops == 2)
        #expect(throws: (any Error).self) { try settings(["--trusted-proxies", "proxy.internal"]) }
        #expect(throws: (any Error).self) { try settings(["--trusted-proxies", "10.0.0.0/8", "--proxy-hops", "0"]) }
    }

    @Test("[LIFE-6] [HTTP-12] --request-timeout sets both adapters' timeout, from the flag or SLUICE_REQUEST_TIMEOUT")
    func requestTimeout() throws {
        #expect(try settings([]).http.timeouts.request == nil)
        let flagged = try settings(["--request-timeout", "2.5"])
        #expect(flagged.http.timeouts.request == .milliseconds(2500))
        #expect(flagged.fastCGI.requestTimeout == .milliseconds(2500))
        #expect(flagged.httpOnly.isEmpty && flagged.fastCGIOnly.isEmpty)
        #expect(try settings([], ["SLUICE_REQUEST_TIMEOUT": "3"]).http.timeouts.request == .seconds(3))
    }

    @Test("--listen-fd-name picks systemd sockets by name; HTTP serves every one without it; a name with a colon is an error")
    func listenFDName() throws {
        #expect(try settings([]).systemdSocketName == nil)
        let named = try settings(["--listen-fd-name", "web"])
        #expect(named.systemdSocketName == "web")
        #expect(ServeMode.choose(requested: named.requestedMode, detected: .systemdSocket, systemdSocketName: "web") == .http(.systemdSockets(named: "web")))
        #expect(ServeMode.choose(requested: .systemd(.fastcgi), detected: .systemdSocket, systemdSocketName: "web") == .fastCGI(.systemdSocket))
        #expect(try settings([], ["SLUICE_LISTEN_FD_NAME": "admin"]).systemdSocketName == "admin")
        #expect(throws: (any Error).self) { try settings(["--listen-fd-name", "web:admin"]) }
        #expect(throws: (any Error).self) { try settings(["--listen-fd-name", ""]) }
    }
}
