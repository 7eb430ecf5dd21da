// `--mount` under FastCGI wraps the responder in Mount, as it wraps an HTTP server's application
// (Spec CGI-3, MOUNT-2, MOUNT-4).

import IntegrationSupport
import Testing

@Suite("Mounting a FastCGI responder")
struct FastCGIMountTests {
    /// Params as nginx's stock `fastcgi_params` sends them: `SCRIPT_NAME` is the whole path, and
    /// there is no `PATH_INFO`.
    static func params(_ path: String) -> [(String, String)] {
        [
            ("GATEWAY_INTERFACE", "CGI/1.1"), ("REQUEST_METHOD", "GET"), ("REQUEST_URI", path), ("SCRIPT_NAME", path),
            ("QUERY_STRING", ""), ("SERVER_NAME", "localhost"), ("SERVER_PORT", "80"), ("SERVER_PROTOCOL", "HTTP/1.1"),
            ("REMOTE_ADDR", "127.0.0.1"), ("REMOTE_PORT", "40000"),
        ]
    }

    @Test("[CGI-3] [MOUNT-2] [MOUNT-4] --mount /app: below it the prefix is scriptName; outside it, 404 as under HTTP")
    func mountedAsUnderHTTP() async throws {
        let battery = try await Battery()
        let inside = try await battery.exchange(FastCGIRecord.request(Self.params("/app/x")))
        #expect(inside.status == 200, "\(battery.standardError)")
        let lines = Set(inside.body.split(separator: "\n").map(String.init))
        #expect(lines.contains("scriptName: /app") && lines.contains("pathInfo: /x"), "\(inside.body)")
        for outside in ["/elsewhere/x", "/apple", "/"] {
            let reply = try await battery.exchange(FastCGIRecord.request(Self.params(outside)))
            #expect(reply.status == 404, "\(outside): \(reply.body)")
        }
    }
}
