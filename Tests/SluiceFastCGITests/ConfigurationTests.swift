// Reading the responder's configuration from command-line options.

import SluiceFastCGI
import Testing

@Suite("FastCGI configuration")
struct ConfigurationTests {
    @Test("listener addresses")
    func listeners() {
        #expect(Listener(parsing: "127.0.0.1:9000") == .tcp(host: "127.0.0.1", port: 9000))
        #expect(Listener(parsing: ":9000") == .tcp(host: "", port: 9000))
        #expect(Listener(parsing: "/run/app.sock") == .unixSocket(path: "/run/app.sock"))
        #expect(Listener(parsing: "fd:0") == .inherited)
        #expect(Listener(parsing: "systemd") == .systemd)
        #expect(Listener(parsing: "auto") == .automatic)
        #expect(Listener(parsing: "localhost") == nil)
        #expect(Listener(parsing: "127.0.0.1:70000") == nil)
    }

    @Test("options")
    func options() throws {
        let configuration = try FastCGIConfiguration(arguments: [
            "--listen", "/run/a.sock", "--socket-mode", "666", "--mount", "/app", "--workers", "64", "--processes", "2",
            "--max-body", "1000", "--max-params", "2000", "--read-timeout", "5", "--grace", "7",
        ])
        #expect(configuration.listener == .unixSocket(path: "/run/a.sock"))
        #expect(configuration.socketMode == 0o666)
        #expect(configuration.mountPath == "/app")
        #expect(configuration.workerCount == 64)
        #expect(configuration.processCount == 2)
        #expect(configuration.limits == FastCGILimits(maximumBodyLength: 1000, maximumParamsLength: 2000, readTimeout: .seconds(5)))
        #expect(configuration.shutdownGracePeriod == .seconds(7))
        #expect(throws: FastCGIArgumentError.unknownOption("--nope")) { try FastCGIConfiguration(arguments: ["--nope", "1"]) }
        #expect(throws: FastCGIArgumentError.missingValue("--workers")) { try FastCGIConfiguration(arguments: ["--workers"]) }
        #expect(throws: FastCGIArgumentError.invalidValue("--workers", "0")) { try FastCGIConfiguration(arguments: ["--workers", "0"]) }
    }
}
