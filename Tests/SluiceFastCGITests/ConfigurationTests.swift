// Reading a listener address (the flags themselves are serve's: SluiceServeTests).

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
}
