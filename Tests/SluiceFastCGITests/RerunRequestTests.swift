// A request nginx runs for another path than the client asked for reaches the application
// routed where nginx sent it (Spec CGI-3, REQ-3).

import Foundation
import IntegrationSupport
import Testing

@Suite("Requests a front server re-ran")
struct RerunRequestTests {
    @Test(
        "[CGI-3] [REQ-3] behind nginx `rewrite ^/old/(.*)$ /app/$1 last;` the application sees /app/x, the target stays the client's", .requires(.nginx, .curl))
    func nginxRewrite() async throws {
        let directory = try TemporaryDirectory(label: "fastcgi-rewrite")
        let app = FastCGIApp(executable: Battery.executablePath, arguments: ["--mount", "/app", "--workers", "4"])
        let site = try await NginxFastCGIHost.start(
            app, overTCP: false, keepsConnections: false, locations: "rewrite ^/old/(.*)$ /app/$1 last;", in: directory
        )
        defer { site.stop() }
        let response = try await Curl.fetch(site.server.origin + "/old/x%20y?q=1")
        let lines = Set(response.text.split(separator: "\n").map(String.init))
        #expect(response.status == 200, "\(site.logReport())")
        #expect(lines.contains("scriptName: /app"), "\(response.text)")
        #expect(lines.contains("pathInfo: /x y"), "\(response.text)")
        #expect(lines.contains("target: /old/x%20y?q=1"), "\(response.text)")
        // Requests nginx did not rewrite are routed by their own target, as before.
        let direct = try await Curl.fetch(site.url("/w%C3%B6rld%2Fx"))
        #expect(direct.text.split(separator: "\n").contains("pathInfo: /w\u{F6}rld/x"), "\(direct.text)")
    }
}
