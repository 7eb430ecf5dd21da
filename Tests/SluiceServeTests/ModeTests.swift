// Which adapter serves: what was asked for, then how the process was started.

import SluiceFastCGI
import SluiceHTTP
import Testing

@testable import SluiceServe

@Suite("serve(_:) mode")
struct ModeTests {
    @Test("[CGI-13] any CGI request variable means CGI — h2o's set without GATEWAY_INTERFACE too — unless a listening socket was inherited")
    func cgi() {
        let h2o: Set = ["REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "REQUEST_URI", "QUERY_STRING"]
        #expect(ServeMode.startsAsCGI(hasVariable: h2o.contains, detected: nil))
        for name in ["GATEWAY_INTERFACE", "REQUEST_METHOD", "SERVER_PROTOCOL", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "REQUEST_URI"] {
            #expect(ServeMode.startsAsCGI(hasVariable: { $0 == name }, detected: nil), "\(name)")
        }
        #expect(!ServeMode.startsAsCGI(hasVariable: ["PATH", "HOME", "SERVER_SOFTWARE", "LISTEN_FDS"].contains, detected: nil))
        // A FastCGI server that spawned the process may leave CGI variables behind.
        #expect(!ServeMode.startsAsCGI(hasVariable: h2o.contains, detected: .inherited))
    }

    @Test("nothing asked and nothing inherited serves HTTP on 127.0.0.1:8080")
    func defaultMode() {
        #expect(ServeMode.choose(requested: nil, detected: nil) == .http(.tcp(host: "127.0.0.1", port: 8080)))
    }

    @Test("a listening socket on descriptor 0 means FastCGI; a systemd socket means HTTP")
    func detected() {
        #expect(ServeMode.choose(requested: nil, detected: .inherited) == .fastCGI(.inherited))
        #expect(ServeMode.choose(requested: nil, detected: .systemdSocket) == .http(.systemdSocket))
    }

    @Test("what was asked for wins over what was inherited")
    func requested() {
        #expect(ServeMode.choose(requested: .http(.tcp(host: "::", port: 80)), detected: .inherited) == .http(.tcp(host: "::", port: 80)))
        #expect(ServeMode.choose(requested: .systemd(.fastcgi), detected: .systemdSocket) == .fastCGI(.systemdSocket))
        #expect(ServeMode.choose(requested: .fastCGI(.tcp(host: "", port: 9000)), detected: nil) == .fastCGI(.tcp(host: "", port: 9000)))
    }

    @Test("HTTP addresses: HOST:PORT, [IPv6]:PORT, :PORT, PORT and socket paths")
    func addresses() {
        #expect(HTTPListenAddress(parsing: "0.0.0.0:80") == .tcp(host: "0.0.0.0", port: 80))
        #expect(HTTPListenAddress(parsing: "[::1]:8080") == .tcp(host: "::1", port: 8080))
        #expect(HTTPListenAddress(parsing: ":8080") == .tcp(host: "::", port: 8080))
        #expect(HTTPListenAddress(parsing: "8000") == .tcp(host: "127.0.0.1", port: 8000))
        #expect(HTTPListenAddress(parsing: "/run/app.sock") == .unixSocket(path: "/run/app.sock"))
        #expect(HTTPListenAddress(parsing: "localhost") == nil)
        #expect(HTTPListenAddress(parsing: "host:70000") == nil)
    }
}
