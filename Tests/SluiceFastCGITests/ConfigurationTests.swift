// Reading a listen address, and the defaults (the flags themselves are serve's: SluiceServeTests).

import SluiceFastCGI
import Testing

@Suite("FastCGI configuration")
struct ConfigurationTests {
    @Test("listen addresses")
    func listeners() {
        #expect(ListenAddress(parsing: "127.0.0.1:9000") == .tcp(host: "127.0.0.1", port: 9000))
        #expect(ListenAddress(parsing: ":9000") == .tcp(host: "", port: 9000))
        #expect(ListenAddress(parsing: "/run/app.sock") == .unixSocket(path: "/run/app.sock"))
        #expect(ListenAddress(parsing: "fd:0") == .inherited)
        #expect(ListenAddress(parsing: "systemd") == .systemdSocket)
        #expect(ListenAddress(parsing: "auto") == .automatic)
        #expect(ListenAddress(parsing: "localhost") == nil)
        #expect(ListenAddress(parsing: "127.0.0.1:70000") == nil)
    }

    @Test("[LIFE-5] the default grace period is the Spec's 10 s, as the HTTP server's")
    func defaultGracePeriod() {
        #expect(FastCGIConfiguration().shutdownGracePeriod == .seconds(10))
    }
}
